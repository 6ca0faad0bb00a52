#!/usr/bin/env bash
# Run ansible-test from a correct ansible_collections/interviewops/platform path.
# ansible-test refuses symlinked trees, so the working tree (tracked files and
# new, not-ignored ones) is copied into .tools/ansible-test/ first.
#   scripts/ansible_test.sh sanity --test validate-modules
#   scripts/ansible_test.sh units
source "$(dirname "$0")/lib.sh"

command -v rsync >/dev/null || apt_install rsync
dest="$TOOLS/ansible-test/ansible_collections/interviewops/platform"
mkdir -p "$dest"
cd "$ROOT"
git ls-files -z --cached --others --exclude-standard \
  | rsync -a --delete --from0 --ignore-missing-args --files-from=- ./ "$dest/"
# --delete only acts on listed files; drop the ones that left the tree.
(cd "$dest" && find . \( -type f -o -type l \) -not -path './tests/output/*' -not -path './.git/*' -printf '%P\n') | sort > "$TOOLS/cache/at-dest"
git ls-files --cached --others --exclude-standard | sort > "$TOOLS/cache/at-src"
comm -23 "$TOOLS/cache/at-dest" "$TOOLS/cache/at-src" | (cd "$dest" && xargs -r rm -f)
# ansible-test finds other collections beside this one: copy those the plugins use
# from the pinned `ansible` package of the virtualenv.
site=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
for dep in amazon/aws community/docker; do
  mkdir -p "$TOOLS/ansible-test/ansible_collections/$dep"
  rsync -a --delete "$site/ansible_collections/$dep/" "$TOOLS/ansible-test/ansible_collections/$dep/"
done
cd "$dest"
# A git repo of its own makes ansible-test consider exactly these files. GIT_DIR
# pins it: git must never fall back to the enclosing project repository.
export GIT_DIR="$dest/.git" GIT_WORK_TREE="$dest"
[ -f "$GIT_DIR/HEAD" ] || { rm -rf "$GIT_DIR"; git init -q; }
git add -A >/dev/null
git -c user.email=ansible-test@localhost -c user.name=ansible-test commit -qm "ansible-test copy" --allow-empty >/dev/null
unset GIT_DIR GIT_WORK_TREE
# ansible-test --venv bootstraps pip with a get-pip.py it downloads from a host this
# machine cannot reach; it reads it from its cache first. The stand-in does the same
# job with the interpreter's own ensurepip, then `pip install` from PyPI.
getpip=~/.ansible/test/cache/get_pip_24_2.py
if [ ! -f "$getpip" ]; then
  mkdir -p "$(dirname "$getpip")"
  cat > "$getpip" <<'PY'
# Stand-in for get-pip.py (written by interviewops scripts/ansible_test.sh): bootstrap
# the bundled pip with ensurepip, then run `pip install <args>` like get-pip.py does.
import ensurepip
import importlib
import os
import runpy
import sys

ensurepip.bootstrap(upgrade=True)
importlib.invalidate_caches()
sys.argv = ["pip", "install"] + [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
if os.path.exists("/etc/ssl/certs/ca-certificates.crt"):
    sys.argv[2:2] = ["--cert", "/etc/ssl/certs/ca-certificates.crt"]
runpy.run_module("pip", run_name="__main__", alter_sys=True)
PY
fi
export PATH="$VENV/bin:$PATH"
exec ansible-test "$@"
