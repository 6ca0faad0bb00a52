#!/usr/bin/env bash
# Offline base image: debootstrap Debian bookworm (minbase) and import it as
# debian:bookworm-slim, so ordinary `FROM debian:bookworm-slim` Dockerfiles build
# without a registry. Skipped when the tag exists.
source "$(dirname "$0")/lib.sh"

TAG=debian:bookworm-slim
docker image inspect "$TAG" >/dev/null 2>&1 && exit 0
# A reachable registry would be quicker; try it, then build from Debian's packages.
if timeout 20 docker pull -q "$TAG" >/dev/null 2>&1; then exit 0; fi

apt_install debootstrap
mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
mirror=${mirror:-http://deb.debian.org/debian}
dir="$TOOLS/cache/rootfs-bookworm"
log "debootstrap bookworm from $mirror"
rm -rf "$dir"
debootstrap --variant=minbase bookworm "$dir" "$mirror" >"$TOOLS/log/debootstrap.log" 2>&1 \
  || die "debootstrap failed; see $TOOLS/log/debootstrap.log"
# Keep the image small, like the official slim image.
rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
tar -C "$dir" -c . | docker import -c 'CMD ["bash"]' - "$TAG" >/dev/null
rm -rf "$dir"
log "imported $TAG"
