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
(cd "$dest" && find . -type f -not -path './tests/output/*' -not -path './.git/*' -printf '%P\n') | sort > "$TOOLS/cache/at-dest"
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
export PATH="$VENV/bin:$PATH"
exec ansible-test "$@"
