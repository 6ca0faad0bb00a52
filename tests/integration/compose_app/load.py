"""A bounded, steady HTTP load against the loopback, counting failed requests."""

from __future__ import annotations

import collections
import json
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor


class Load:
    """GET ``url`` ``rate`` times a second from a background thread, from ``with`` until
    its end (at most ``max_seconds``). A request fails on any error, a status other than
    200 or no answer within ``timeout`` seconds."""

    def __init__(self, url: str, rate: int = 50, max_seconds: float = 300, timeout: float = 5):
        self.url, self.rate, self.max_seconds, self.timeout = url, rate, max_seconds, timeout
        self.ok = 0
        self.failed = 0
        self.errors: list[str] = []
        self.versions: collections.Counter[str] = collections.Counter()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Load:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def sent(self) -> int:
        return self.ok + self.failed

    def _one(self) -> None:
        try:
            with urllib.request.urlopen(self.url, timeout=self.timeout) as resp:  # noqa: S310 - loopback
                version = json.loads(resp.read()).get("version", "?")
            with self._lock:
                self.ok += 1
                self.versions[version] += 1
        except Exception as exc:  # noqa: BLE001 - every failure counts
            with self._lock:
                self.failed += 1
                self.errors.append(f"{time.strftime('%H:%M:%S')} {exc!r}")

    def _run(self) -> None:
        interval = 1.0 / self.rate
        deadline = time.monotonic() + self.max_seconds
        with ThreadPoolExecutor(max_workers=64) as pool:
            next_at = time.monotonic()
            while not self._stop.is_set() and time.monotonic() < deadline:
                pool.submit(self._one)
                next_at += interval
                self._stop.wait(max(0.0, next_at - time.monotonic()))

    def __str__(self) -> str:
        return f"{self.sent} requests, {self.failed} failed, versions {dict(self.versions)}, errors {self.errors[:5]}"
