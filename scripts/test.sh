#!/usr/bin/env bash
# Every test of the project, stage by stage (make test). Each stage runs even when
# an earlier one failed; the exit status is non-zero when any stage failed.
#   scripts/test.sh                 all stages
#   scripts/test.sh lint units ...  only these
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
export PATH="$VENV/bin:$TOOLS/bin:$PATH" ANSIBLE_CONFIG="$ROOT/ansible.cfg" NO_COLOR=1 ANSIBLE_NOCOLOR=1 PY_COLORS=0

stage_lint() {
  # Every linter runs; the stage fails when any of them did.
  local rc=0
  yamllint --strict . || rc=1
  ansible-lint --offline || rc=1
  ruff check . || rc=1
  python scripts/check_roles.py || rc=1
  return $rc
}

stage_sanity() {
  bash scripts/ansible_test.sh sanity --python 3.11 --venv --color no
}

stage_units() {
  bash scripts/ansible_test.sh units --python 3.11 --venv --color no
}

stage_build() {
  # The tarball builds, installs on its own, and ansible-doc shows every plugin.
  local out="$TOOLS/dist" inst
  rm -rf "$out" && mkdir -p "$out"
  ansible-galaxy collection build --force --output-path "$out" >/dev/null
  inst=$(mktemp -d)
  ansible-galaxy collection install --no-deps -p "$inst" "$out"/interviewops-platform-*.tar.gz >/dev/null
  local missing=0
  for kind_dir in "$inst"/ansible_collections/interviewops/platform/plugins/*/; do
    local kind; kind=$(basename "$kind_dir")
    case "$kind" in modules) kind=module ;; inventory|lookup|filter|callback|connection) ;; *) continue ;; esac
    for f in "$kind_dir"*.py; do
      [ -e "$f" ] || continue
      local name; name=$(basename "$f" .py)
      [[ $name == __init__ ]] && continue
      ANSIBLE_COLLECTIONS_PATH="$inst" ansible-doc -t "$kind" "interviewops.platform.$name" >/dev/null \
        || { echo "ansible-doc cannot show $kind interviewops.platform.$name"; missing=1; }
    done
  done
  ANSIBLE_COLLECTIONS_PATH="$inst" ansible-doc -t role interviewops.platform.compose_app >/dev/null || missing=1
  rm -rf "$inst"
  return $missing
}

stage_molecule() {
  bash scripts/images.sh test-host=interviewops/test-host:bookworm
  local rc=0
  for scenario_dir in roles/*/molecule; do
    [ -d "$scenario_dir" ] || continue
    (cd "$(dirname "$scenario_dir")" && molecule test --all) || rc=1
  done
  return $rc
}

stage_integration() {
  bash scripts/tofu.sh
  # The platform images, built as the local environment builds them (same tags and
  # context-hash labels, so site.yml on local finds them current).
  bash scripts/images.sh app=interviewops/app:0.1.0 postgres=interviewops/postgres:17 \
    redis=interviewops/redis:7 nginx=interviewops/nginx:1.22
  pytest -p no:cacheprovider tests/integration
}

stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=(lint build sanity units molecule integration)
passed=0 failed=0 report=""
for stage in "${stages[@]}"; do
  declare -F "stage_$stage" >/dev/null || die "unknown stage: $stage"
  log "stage $stage"
  start=$SECONDS
  # Not in an `if`: there, bash would ignore set -e inside the stage.
  set +e
  ( set -e; "stage_$stage" )
  rc=$?
  set -e
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1)); report+=$(printf '\n  %-12s ok      %4ss' "$stage" $((SECONDS - start)))
  else
    failed=$((failed + 1)); report+=$(printf '\n  %-12s FAILED  %4ss' "$stage" $((SECONDS - start)))
  fi
done
printf '\nStages:%s\n\nstages: %d passed, %d failed\n' "$report" "$passed" "$failed"
[ "$failed" -eq 0 ]
