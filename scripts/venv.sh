#!/usr/bin/env bash
# Create the project virtualenv from the pinned requirements; no-op when up to date.
source "$(dirname "$0")/lib.sh"

stamp="$VENV/.requirements-$(inputs_hash "$ROOT/requirements/controller.txt" "$ROOT/requirements/test.txt")"
if [ -f "$stamp" ]; then exit 0; fi
log "virtualenv $VENV"
python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --upgrade pip
"$VENV/bin/pip" install -q -r "$ROOT/requirements/test.txt"
rm -f "$VENV"/.requirements-* && touch "$stamp"
