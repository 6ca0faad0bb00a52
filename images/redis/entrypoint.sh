#!/bin/sh
# Run redis-server with the password from the environment (never on the command line).
set -eu
: "${REDIS_PASSWORD:?REDIS_PASSWORD is required}"
conf=/tmp/redis.conf
umask 077
cat > "$conf" <<CONF
bind 0.0.0.0
protected-mode no
dir /data
appendonly yes
requirepass $REDIS_PASSWORD
CONF
exec redis-server "$conf" "$@"
