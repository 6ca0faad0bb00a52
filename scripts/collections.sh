#!/usr/bin/env bash
# Make the repository loadable as the collection interviewops.platform:
# .tools/collections/ansible_collections/interviewops/platform -> repository root.
source "$(dirname "$0")/lib.sh"

link="$TOOLS/collections/ansible_collections/interviewops/platform"
mkdir -p "$(dirname "$link")"
[ "$(readlink "$link" 2>/dev/null)" = "$ROOT" ] || ln -sfn "$ROOT" "$link"
