#!/usr/bin/env bash
# Build the pinned OpenTofu binary and the providers our stacks and tests use from the
# Go module proxy (no registry serves Terraform binaries or providers here), then write
# a CLI config whose filesystem mirror is the only provider source.
#
#   .tools/bin/tofu                     the OpenTofu CLI
#   .tools/terraform/mirror/            unpacked provider mirror (registry.opentofu.org and
#                                       registry.terraform.io layouts, so `terraform` works too)
#   .tools/terraform/cli.tfrc           export TF_CLI_CONFIG_FILE=<this> before running tofu
#
# Idempotent: each artefact carries a stamp of its pin (and the Go version); it is rebuilt
# only when that stamp changes, so a warm run is a quick no-op.
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# ---- pins --------------------------------------------------------------------------
TOFU_MODULE=github.com/opentofu/opentofu
TOFU_VERSION=v1.12.6
# "<namespace>/<type> <provider version> <go module> <module version>"
# The docker provider's go.mod has no /vN suffix, so its release commit is addressed by
# its pseudo-version (commit 96d331c, the tree released as v4.6.0 plus CI-only changes).
PROVIDERS=(
  "kreuzwerker/docker 4.6.0 github.com/kreuzwerker/terraform-provider-docker v0.0.0-20260916201441-96d331c98ff4"
)
# hashicorp/aws is not built: its module is hundreds of MB of Go and takes far too long on
# two cores; terraform/aws_shared is checked with `tofu fmt -check` (and `validate` when a
# provider for it is placed in the mirror by other means).
# hashicorp/null and friends are not needed: OpenTofu's built-in terraform_data covers them.

TF_DIR="$TOOLS/terraform"
MIRROR="$TF_DIR/mirror"
CLI_CONFIG="$TF_DIR/cli.tfrc"
BUILD="$TOOLS/cache/terraform-build"
STAMPS="$TF_DIR/stamps"
mkdir -p "$MIRROR" "$BUILD" "$STAMPS" "$TOOLS/bin"
# One build at a time (make targets may call this concurrently).
exec 9>"$TF_DIR/.build.lock"
flock 9

GO="$(command -v go || true)"
[ -n "$GO" ] || GO=/usr/local/go/bin/go
[ -x "$GO" ] || die "Go toolchain not found (need Go >= 1.26 on PATH or at /usr/local/go/bin/go)"
GO_VERSION="$("$GO" env GOVERSION)"
GOOS="$("$GO" env GOOS)"
GOARCH="$("$GO" env GOARCH)"
PLATFORM="${GOOS}_${GOARCH}"
# Never download another toolchain; the proxy is the only remote we use.
export GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:--mod=readonly}" CGO_ENABLED=0

stamp_ok() { [ -f "$STAMPS/$1" ] && [ "$(cat "$STAMPS/$1")" = "$2" ] && [ -e "$3" ]; }
stamp_set() { printf '%s' "$2" >"$STAMPS/$1"; }

# go_source MODULE VERSION -> prints a writable copy of the module's source tree.
go_source() {
  local module="$1" version="$2" dir dest
  dir="$("$GO" mod download -json "$module@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -n "$dir" ] && [ -d "$dir" ] || die "go mod download $module@$version failed"
  dest="$BUILD/$(basename "$module")@$version"
  if [ ! -f "$dest/.copied" ]; then
    rm -rf "$dest"
    cp -r "$dir" "$dest"
    chmod -R u+w "$dest"
    touch "$dest/.copied"
  fi
  printf '%s' "$dest"
}

build_tofu() {
  local want="$TOFU_MODULE@$TOFU_VERSION $GO_VERSION $PLATFORM" src
  if stamp_ok tofu "$want" "$TOOLS/bin/tofu"; then
    return 0
  fi
  log "building OpenTofu $TOFU_VERSION ($GO_VERSION; first build takes several minutes)"
  src="$(go_source "$TOFU_MODULE" "$TOFU_VERSION")"
  (cd "$src" && nice -n 10 "$GO" build -trimpath -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" \
    -o "$TOOLS/bin/tofu.new" ./cmd/tofu) || die "building OpenTofu failed"
  mv -f "$TOOLS/bin/tofu.new" "$TOOLS/bin/tofu"
  stamp_set tofu "$want"
}

build_provider() {
  local addr="$1" version="$2" module="$3" modver="$4"
  local type="${addr#*/}" ns="${addr%/*}" want src bin host
  want="$module@$modver $version $GO_VERSION $PLATFORM"
  bin="$MIRROR/registry.opentofu.org/$ns/$type/$version/$PLATFORM/terraform-provider-${type}_v$version"
  if stamp_ok "provider-$ns-$type" "$want" "$bin"; then
    return 0
  fi
  log "building provider $addr $version from $module@$modver"
  src="$(go_source "$module" "$modver")"
  mkdir -p "$(dirname "$bin")"
  (cd "$src" && nice -n 10 "$GO" build -trimpath -ldflags "-s -w -X main.version=$version" -o "$bin.new" .) \
    || die "building provider $addr failed"
  mv -f "$bin.new" "$bin"
  # Same binary under the terraform registry host, so a `terraform` CLI finds it too.
  host="$MIRROR/registry.terraform.io/$ns/$type/$version/$PLATFORM"
  mkdir -p "$host"
  ln -f "$bin" "$host/$(basename "$bin")"
  stamp_set "provider-$ns-$type" "$want"
}

write_cli_config() {
  local tmp="$CLI_CONFIG.new"
  cat >"$tmp" <<EOF
# Written by scripts/tofu.sh. Providers come only from the local filesystem mirror.
disable_checkpoint = true

provider_installation {
  filesystem_mirror {
    path = "$MIRROR"
  }
}
EOF
  if ! cmp -s "$tmp" "$CLI_CONFIG" 2>/dev/null; then
    mv -f "$tmp" "$CLI_CONFIG"
  else
    rm -f "$tmp"
  fi
}

build_tofu
for spec in "${PROVIDERS[@]}"; do
  # shellcheck disable=SC2086 # the spec is four space-separated words
  build_provider $spec
done
write_cli_config
TF_CLI_CONFIG_FILE="$CLI_CONFIG" "$TOOLS/bin/tofu" version -json >/dev/null || die "$TOOLS/bin/tofu does not run"
log "OpenTofu ready: $TOOLS/bin/tofu; TF_CLI_CONFIG_FILE=$CLI_CONFIG"
