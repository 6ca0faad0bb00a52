#!/usr/bin/env bash
# Build the images the tests need from images/<name> (on top of the offline base
# images): rebuilt only when the build context changes (its hash is an image label).
#   scripts/images.sh NAME=TAG [NAME=TAG ...]
source "$(dirname "$0")/lib.sh"

for spec in "$@"; do
  name=${spec%%=*} tag=${spec#*=}
  ctx="$ROOT/images/$name"
  [ -d "$ctx" ] || die "no build context images/$name"
  hash=$(cd "$ctx" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
  have=$(docker image inspect -f '{{ index .Config.Labels "org.interviewops.context-hash" }}' "$tag" 2>/dev/null || true)
  [ "$have" = "$hash" ] && continue
  log "docker build $tag (images/$name)"
  DOCKER_BUILDKIT=0 docker build -q --label "org.interviewops.context-hash=$hash" -t "$tag" "$ctx" \
    >"$TOOLS/log/build-$name.log" 2>&1 || die "building $tag failed; see $TOOLS/log/build-$name.log"
done
