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
  | rsync -a --delete --from0 --files-from=- ./ "$dest/"
# --delete only acts on listed files; drop the ones that left the tree.
(cd "$dest" && find . -type f -not -path './tests/output/*' -printf '%P\n') | sort > "$TOOLS/cache/at-dest"
git ls-files --cached --others --exclude-standard | sort > "$TOOLS/cache/at-src"
comm -23 "$TOOLS/cache/at-dest" "$TOOLS/cache/at-src" | (cd "$dest" && xargs -r rm -f)
cd "$dest"
# A git repo makes ansible-test consider exactly these files.
[ -d .git ] || git init -q
git add -A >/dev/null && git -c user.email=t@t -c user.name=t commit -qm snapshot --allow-empty >/dev/null
export PATH="$VENV/bin:$PATH"
exec ansible-test "$@"
