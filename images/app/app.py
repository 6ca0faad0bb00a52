"""Sample interviewops platform service.

``web``: HTTP API on $APP_PORT (default 8000):
  GET /healthz   200 when Postgres and Redis answer, 503 otherwise; JSON with version.
  GET /          a small JSON greeting with the version and this container's name.
  GET /visits    increments a counter in Postgres and Redis; shows both (proves writes work).
``worker``: a background job loop that records a heartbeat in Redis and Postgres.
``migrate [N]``: applies the schema migrations up to N (default: all), then exits.
``healthcheck [PATH]``: exit 0 when the local service is healthy (web: PATH answers 200,
default /healthz; worker: its own heartbeat is recent). Used by the container health check.

Configuration comes from the environment: APP_VERSION, DATABASE_URL, REDIS_URL.
APP_BROKEN=<reason> makes a build that starts but never gets healthy (/healthz
answers 503 and logs the reason): deploys of a broken version are tested with it.
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
BROKEN = os.environ.get("APP_BROKEN", "")
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
        conn = db()
        try:
            with conn, conn.cursor() as cur:
                cur.execute("SELECT 1")
                cur.fetchone()
        finally:
            conn.close()
        details["postgres"] = "ok"
    except Exception as exc:  # noqa: BLE001 - report any failure as unhealthy
        details["postgres"] = f"error: {exc.__class__.__name__}"
        healthy = False
    try:
        cache().ping()
        details["redis"] = "ok"
    except Exception as exc:  # noqa: BLE001
        details["redis"] = f"error: {exc.__class__.__name__}"
        healthy = False
    return healthy, details


MIGRATIONS = {
    1: "CREATE TABLE IF NOT EXISTS visits (id serial PRIMARY KEY, at timestamptz DEFAULT now())",
    2: "CREATE TABLE IF NOT EXISTS heartbeats (worker text PRIMARY KEY, at timestamptz)",
}


def ensure_schema():
    with db() as conn, conn.cursor() as cur:
        for statement in MIGRATIONS.values():
            cur.execute(statement)
    conn.close()


def migrate():
    target = int(sys.argv[2]) if len(sys.argv) > 2 else max(MIGRATIONS)
    if target not in MIGRATIONS:
        print(f"migrate: no migration {target} (known: {sorted(MIGRATIONS)})", flush=True)
        sys.exit(1)
    with db() as conn, conn.cursor() as cur:
        for number in sorted(MIGRATIONS):
            if number <= target:
                cur.execute(MIGRATIONS[number])
                print(f"migrate: applied {number}", flush=True)
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
            if BROKEN:
                print(f"interviewops-app {VERSION} is broken: {BROKEN}", flush=True)
                healthy, details["broken"] = False, BROKEN
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
            cache().set(f"worker:heartbeat:{name}", str(time.time()), ex=60)
        except Exception as exc:  # noqa: BLE001 - keep the loop alive, report the failure
            print(f"heartbeat failed: {exc}", flush=True)
        STOP.wait(5)


def healthcheck():
    if ROLE_OF_CONTAINER == "worker":
        # Each worker checks its own heartbeat: an old worker's must not vouch for a new one.
        value = cache().get(f"worker:heartbeat:{socket.gethostname()}")
        sys.exit(0 if value and time.time() - float(value) < 30 else 1)
    path = sys.argv[2] if len(sys.argv) > 2 else "/healthz"
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=3) as resp:  # noqa: S310
            sys.exit(0 if resp.status == 200 else 1)
    except Exception as exc:  # noqa: BLE001 - any failure is unhealthy; say which
        print(f"GET {path}: {exc}")
        sys.exit(1)


ROLE_OF_CONTAINER = os.environ.get("APP_ROLE", "web")

if __name__ == "__main__":
    {"web": web, "worker": worker, "migrate": migrate, "healthcheck": healthcheck}[ROLE]()
