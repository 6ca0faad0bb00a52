# Shared helpers for the harness scripts. Source it; do not run it.
# shellcheck shell=bash
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# One git-ignored folder for every tool, cache and build output of the harness.
TOOLS="${INTERVIEWOPS_TOOLS:-$ROOT/.tools}"
VENV="$TOOLS/venv"
mkdir -p "$TOOLS/bin" "$TOOLS/cache" "$TOOLS/log"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# apt-get install only what is missing; run `apt-get update` once per machine boot.
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  if [ ! -f "$TOOLS/cache/apt-updated" ] || [ -n "$(find "$TOOLS/cache/apt-updated" -mmin +720)" ]; then
    apt-get update -qq && touch "$TOOLS/cache/apt-updated"
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The content hash of files: used to rebuild things only when their inputs change.
inputs_hash() { cat "$@" | sha256sum | cut -c1-16; }
