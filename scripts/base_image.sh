#!/usr/bin/env bash
# Offline base images: debootstrap Debian (minbase) and import it as
# debian:<suite>-slim, so ordinary `FROM debian:<suite>-slim` Dockerfiles build
# without a registry. Skipped when the tag exists.
#   scripts/base_image.sh [SUITE ...]     (default: bookworm trixie)
# bookworm is the base of every image; trixie only for PostgreSQL 17 + pgvector,
# which bookworm does not package.
source "$(dirname "$0")/lib.sh"

[ $# -gt 0 ] || set -- bookworm trixie
if [ $# -gt 1 ]; then for suite in "$@"; do "$0" "$suite"; done; exit 0; fi
SUITE=$1
TAG=debian:$SUITE-slim
docker image inspect "$TAG" >/dev/null 2>&1 && exit 0
# A reachable registry would be quicker; try it, then build from Debian's packages.
if timeout 20 docker pull -q "$TAG" >/dev/null 2>&1; then exit 0; fi

apt_install debootstrap
mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
mirror=${mirror:-http://deb.debian.org/debian}
dir="$TOOLS/cache/rootfs-$SUITE"
log "debootstrap $SUITE from $mirror"
rm -rf "$dir"
debootstrap --variant=minbase "$SUITE" "$dir" "$mirror" >"$TOOLS/log/debootstrap-$SUITE.log" 2>&1 \
  || die "debootstrap failed; see $TOOLS/log/debootstrap-$SUITE.log"
# Keep the image small, like the official slim image.
rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
tar -C "$dir" -c . | docker import -c 'CMD ["bash"]' - "$TAG" >/dev/null
rm -rf "$dir"
log "imported $TAG"
