"""Sample interviewops platform service.

``web``: HTTP API on $APP_PORT (default 8000):
  GET /healthz   200 when Postgres and Redis answer, 503 otherwise; JSON with version.
  GET /          a small JSON greeting with the version and this container's name.
  GET /visits    increments a counter in Postgres and Redis; shows both (proves writes work).
``worker``: a background job loop that records a heartbeat in Redis and Postgres.
``healthcheck``: exit 0 when the local service is healthy (used by the image HEALTHCHECK).

Configuration comes from the environment: APP_VERSION, DATABASE_URL, REDIS_URL.
"""

import json
import os
import signal
import socket
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg2
import redis

VERSION = os.environ.get("APP_VERSION", "dev")
PORT = int(os.environ.get("APP_PORT", "8000"))
ROLE = sys.argv[1] if len(sys.argv) > 1 else "web"
STOP = threading.Event()


def db():
    return psycopg2.connect(os.environ["DATABASE_URL"], connect_timeout=3)


def cache():
    return redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=3, socket_connect_timeout=3)


def check():
    """Return (healthy, details) after asking Postgres and Redis."""
    details = {"version": VERSION, "role": ROLE}
    healthy = True
    try:
        with db() as conn, conn.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()
        details["postgres"] = "ok"
    except Exception as exc:  # noqa: BLE001 - report any failure as unhealthy
        details["postgres"] = f"error: {exc.__class__.__name__}"
        healthy = False
    finally:
        try:
            conn.close()
        except Exception:  # noqa: BLE001
            pass
    try:
        cache().ping()
        details["redis"] = "ok"
    except Exception as exc:  # noqa: BLE001
        details["redis"] = f"error: {exc.__class__.__name__}"
        healthy = False
    return healthy, details


def ensure_schema():
    with db() as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS visits (id serial PRIMARY KEY, at timestamptz DEFAULT now())")
        cur.execute("CREATE TABLE IF NOT EXISTS heartbeats (worker text PRIMARY KEY, at timestamptz)")
    conn.close()


class Handler(BaseHTTPRequestHandler):
    server_version = "interviewops-app"
    protocol_version = "HTTP/1.1"

    def _send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):  # noqa: N802 - http.server API
        if self.path == "/healthz":
            healthy, details = check()
            self._send(200 if healthy else 503, details)
        elif self.path == "/visits":
            ensure_schema()
            with db() as conn, conn.cursor() as cur:
                cur.execute("INSERT INTO visits DEFAULT VALUES")
                cur.execute("SELECT count(*) FROM visits")
                (count,) = cur.fetchone()
            conn.close()
            self._send(200, {"postgres_visits": count, "redis_visits": cache().incr("visits"), "version": VERSION})
        elif self.path == "/":
            self._send(200, {"service": "interviewops", "version": VERSION, "host": socket.gethostname()})
        else:
            self._send(404, {"error": "not found"})

    def log_message(self, fmt, *args):
        sys.stdout.write("%s %s\n" % (self.address_string(), fmt % args))


def web():
    server = ThreadingHTTPServer(("0.0.0.0", PORT), Handler)  # noqa: S104 - inside a container
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"interviewops-app {VERSION} listening on :{PORT}", flush=True)
    server.serve_forever()


def worker():
    signal.signal(signal.SIGTERM, lambda *_: STOP.set())
    name = socket.gethostname()
    print(f"interviewops-worker {VERSION} started", flush=True)
    while not STOP.is_set():
        try:
            ensure_schema()
            with db() as conn, conn.cursor() as cur:
                cur.execute(
                    "INSERT INTO heartbeats VALUES (%s, now()) ON CONFLICT (worker) DO UPDATE SET at = now()", (name,)
                )
            conn.close()
            cache().set("worker:heartbeat", str(time.time()), ex=60)
        except Exception as exc:  # noqa: BLE001 - keep the loop alive, report the failure
            print(f"heartbeat failed: {exc}", flush=True)
        STOP.wait(5)


def healthcheck():
    if ROLE_OF_CONTAINER == "worker":
        value = cache().get("worker:heartbeat")
        sys.exit(0 if value and time.time() - float(value) < 30 else 1)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=3) as resp:  # noqa: S310
            sys.exit(0 if resp.status == 200 else 1)
    except Exception:  # noqa: BLE001
        sys.exit(1)


ROLE_OF_CONTAINER = os.environ.get("APP_ROLE", "web")

if __name__ == "__main__":
    {"web": web, "worker": worker, "healthcheck": healthcheck}[ROLE]()
