#!/usr/bin/env bash
# The release build of imagedrift: the one recipe that the release workflow, CI (.ci/run) and the
# reproducibility test run, so that what is published, what CI checks and what anyone can rebuild
# from a tag cannot drift apart. RELEASING.md says when to run which.
#
#   build.sh build VERSION [DIR]   the CLI for every platform into DIR (default dist):
#                                  imagedrift_<os>_<arch> and their checksums.txt (sha256sum format)
#   build.sh prepare VERSION       build, then write .github/release/checksums.txt and release.env,
#                                  which the release commit carries and the action verifies against
#   build.sh verify [TAG]          rebuild the release that release.env names and compare the bytes with
#                                  the committed checksums. Without TAG (CI): from this tree when its source
#                                  is the release's, else from the commit that prepared it. With TAG (the
#                                  release workflow): this tree must be that release; the binaries stay in
#                                  dist/ for publishing
#   build.sh source-hash [DIR]     the hash of the source the CLI is built from (the action keys its
#                                  binary cache on it and checks a release's binaries against it)
#
# PLATFORMS (default: linux/amd64 linux/arm64 darwin/amd64 darwin/arm64) narrows build, prepare and
# verify to some platforms. The Go toolchain is the one go.mod names (GOTOOLCHAIN is set to it): the
# bytes depend on it. Runs with bash 3.2 and BSD tools too (macOS has shasum, not sha256sum).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
META=$ROOT/.github/release/release.env
SUMS=$ROOT/.github/release/checksums.txt
ALL_PLATFORMS="linux/amd64 linux/arm64 darwin/amd64 darwin/arm64"
PLATFORMS=${PLATFORMS:-$ALL_PLATFORMS}
SEMVER='^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$'

die() { echo "build.sh: $*" >&2; exit 1; }
say() { echo "build.sh: $*" >&2; }

# SHA256: sha256sum, or shasum -a 256 where there is none (macOS); both print "<hex>  <name>".
if command -v sha256sum >/dev/null 2>&1; then SHA256=(sha256sum); else SHA256=(shasum -a 256); fi
sha256() { "${SHA256[@]}" "$@"; }

# source_hash DIR: one SHA-256 over the files `go build ./cmd/imagedrift` reads (Go files, embedded
# files, go.mod, go.sum), tests and test data left out, by path and content.
source_hash() {
  (
    cd "$1"
    local d dirs=()
    for d in cmd internal; do [ ! -d "$d" ] || dirs+=("$d"); done
    { printf '%s\n' go.mod go.sum; find "${dirs[@]}" -type f ! -name '*_test.go' ! -path '*/testdata/*' | LC_ALL=C sort; } \
      | tr '\n' '\0' | xargs -0 "${SHA256[@]}" | sha256 | cut -c1-64
  )
}

# toolchain DIR: the Go release the tree's go.mod names (its toolchain line, else its go line).
toolchain() {
  local v
  v=$(sed -n 's/^toolchain[[:space:]]\{1,\}go\([0-9][0-9.a-z]*\).*/\1/p' "$1/go.mod" | head -1)
  [ -n "$v" ] || v=$(sed -n 's/^go[[:space:]]\{1,\}\([0-9][0-9.]*\).*/\1/p' "$1/go.mod" | head -1)
  [ -n "$v" ] || die "$1/go.mod names no Go version"
  case $v in *.*.*) ;; *) v=$v.0 ;; esac # "go 1.26" means the toolchain go1.26.0
  echo "go$v"
}

meta() { sed -n "s/^$1=//p" "$META" | head -1; }

check_version() {
  [[ $1 =~ $SEMVER ]] || die "version '$1' is not v<major>.<minor>.<patch>[-<prerelease>]"
}

# commit_time DIR: SOURCE_DATE_EPOCH for the tree, from its commit when it is a git checkout.
commit_time() {
  if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then echo "$SOURCE_DATE_EPOCH"; return; fi
  git -C "$1" log -1 --format=%ct 2>/dev/null || echo 0
}

# set_mtime EPOCH FILE: GNU touch takes @EPOCH, BSD touch a formatted date.
set_mtime() {
  touch -d "@$1" "$2" 2>/dev/null || touch -t "$(date -u -r "$1" +%Y%m%d%H%M.%S)" "$2"
}

# build VERSION DIR: the recipe. Every input that changes the bytes is fixed here: no cgo, paths
# trimmed, no VCS stamp, an empty build id, symbols and DWARF stripped, the baseline of each
# architecture, no GOFLAGS, experiments or workspace from the caller's environment, and the toolchain
# go.mod names. Go embeds no time; SOURCE_DATE_EPOCH (the commit's) is exported for anything in the
# build that would, and the binaries' modification times are set to it.
build() {
  local version=$1 out=$2 tc p os arch f
  check_version "$version"
  tc=$(toolchain "$ROOT")
  [ "$(cd "$ROOT" && GOTOOLCHAIN=$tc go env GOVERSION 2>/dev/null)" = "$tc" ] \
    || die "the release build needs $tc (go.mod); 'go' here is $(go env GOVERSION 2>/dev/null || echo missing) and cannot switch to it"
  SOURCE_DATE_EPOCH=$(commit_time "$ROOT")
  export SOURCE_DATE_EPOCH
  mkdir -p "$out"
  out=$(cd "$out" && pwd)
  rm -f "$out"/imagedrift_* "$out/checksums.txt"
  for p in $PLATFORMS; do
    os=${p%/*} arch=${p#*/}
    case " $ALL_PLATFORMS " in *" $p "*) ;; *) die "unknown platform $p (one of: $ALL_PLATFORMS)" ;; esac
    f=imagedrift_${os}_${arch}
    say "$f $version with $tc"
    (cd "$ROOT" && env GOTOOLCHAIN="$tc" GOOS="$os" GOARCH="$arch" CGO_ENABLED=0 GOAMD64=v1 GOARM64=v8.0 \
      GOFLAGS= GOEXPERIMENT= GOWORK=off GO111MODULE=on \
      go build -trimpath -buildvcs=false -mod=readonly \
      -ldflags="-s -w -buildid= -X main.version=$version" -o "$out/$f" ./cmd/imagedrift)
    set_mtime "$SOURCE_DATE_EPOCH" "$out/$f"
  done
  (cd "$out" && sha256 imagedrift_* >checksums.txt)
  set_mtime "$SOURCE_DATE_EPOCH" "$out/checksums.txt"
  say "$out/checksums.txt:"
  cat "$out/checksums.txt" >&2
}

prepare() {
  local version=$1 dirty
  check_version "$version"
  # The checksums describe the committed tree: a change not yet committed would not be in the release.
  dirty=$(git -C "$ROOT" status --porcelain -- cmd internal go.mod go.sum 2>/dev/null) || die "not a git checkout"
  [ -z "$dirty" ] || die "uncommitted changes to the source: commit or stash them first"$'\n'"$dirty"
  build "$version" "$ROOT/dist"
  cp "$ROOT/dist/checksums.txt" "$SUMS"
  {
    echo "# The release this tree is: written by build.sh prepare (RELEASING.md), read by the action"
    echo "# (download.sh) and build.sh verify. Not edited by hand."
    echo "version=$version"
    echo "source=$(source_hash "$ROOT")"
    echo "go=$(toolchain "$ROOT")"
  } >"$META"
  say "wrote ${SUMS#"$ROOT"/} and ${META#"$ROOT"/} for $version: commit them, then tag that commit $version"
}

# check_shape FILE: sha256sum lines, one per release platform, nothing else.
check_shape() {
  local p n
  n=$(grep -c . "$1" || true)
  [ "$n" = 4 ] || [ "$PLATFORMS" != "$ALL_PLATFORMS" ] || die "${1#"$ROOT"/}: $n lines, want one per platform ($ALL_PLATFORMS)"
  grep -Evq '^[0-9a-f]{64}  imagedrift_(linux|darwin)_(amd64|arm64)$' "$1" && die "${1#"$ROOT"/}: a line is not '<sha256>  imagedrift_<os>_<arch>'"
  for p in $PLATFORMS; do
    grep -q "  imagedrift_${p%/*}_${p#*/}\$" "$1" || die "${1#"$ROOT"/}: no checksum for $p"
  done
}

verify() {
  local tag=${1:-} version source here tree commit out p line fails=0
  if [ ! -f "$META" ]; then
    [ -z "$tag" ] || die "no ${META#"$ROOT"/}: prepare the release before tagging it (RELEASING.md)"
    say "no release prepared yet (no ${META#"$ROOT"/}): no committed checksums to check"
    return 0
  fi
  [ -f "$SUMS" ] || die "${META#"$ROOT"/} without ${SUMS#"$ROOT"/}"
  version=$(meta version) source=$(meta source)
  check_version "$version"
  check_shape "$SUMS"
  here=$(source_hash "$ROOT")
  tmp=$(mktemp -d) # global: the trap runs after verify has returned
  trap 'rm -rf "$tmp"' EXIT
  if [ -n "$tag" ]; then
    [ "$tag" = "$version" ] || die "tag $tag, but the committed checksums are for $version: prepare $tag and tag that commit"
    [ "$here" = "$source" ] || die "the source at $tag is not the source prepared for $version (changed after build.sh prepare)"
    tree=$ROOT out=$ROOT/dist
  elif [ "$here" = "$source" ]; then
    tree=$ROOT out=$tmp/dist
  else
    # The tree has moved on since the release: its checksums describe the commit that prepared them.
    if ! git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
      say "NOT checked: the source has changed since $version and this is no git checkout to find $version's commit in; checked the file's shape only"
      return 0
    fi
    if [ "$(git -C "$ROOT" rev-parse --is-shallow-repository)" = true ]; then
      say "NOT checked: the source has changed since $version and this clone is shallow (git fetch --unshallow finds $version's commit); checked the file's shape only"
      return 0
    fi
    commit=$(git -C "$ROOT" log -1 --format=%H -- .github/release/release.env)
    mkdir "$tmp/tree"
    git -C "$ROOT" archive "$commit" | tar -x -C "$tmp/tree"
    [ "$(source_hash "$tmp/tree")" = "$source" ] || die "release.env of $commit does not describe the source of $commit"
    cmp -s "$SUMS" "$tmp/tree/.github/release/checksums.txt" \
      || die "${SUMS#"$ROOT"/} was changed after $commit, which prepared $version"
    say "the source has moved on since $version: rebuilding it from $commit, the commit that prepared it"
    SOURCE_DATE_EPOCH=$(git -C "$ROOT" log -1 --format=%ct "$commit")
    export SOURCE_DATE_EPOCH
    tree=$tmp/tree out=$tmp/dist
  fi
  if [ "$tree" = "$ROOT" ]; then build "$version" "$out"; else bash "$tree/.github/release/build.sh" build "$version" "$out"; fi
  for p in $PLATFORMS; do
    line=$(grep "  imagedrift_${p%/*}_${p#*/}\$" "$SUMS")
    if grep -qxF "$line" "$out/checksums.txt"; then
      say "ok   $p: the bytes match the committed checksum"
    else
      say "FAIL $p: committed $line; built $(grep "  imagedrift_${p%/*}_${p#*/}\$" "$out/checksums.txt")"
      fails=$((fails + 1))
    fi
  done
  [ "$fails" = 0 ] || die "$fails platform(s) of $version do not rebuild to the committed checksums"
  say "$version rebuilds to the committed checksums (${SUMS#"$ROOT"/})"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
  build) { [ $# = 1 ] || [ $# = 2 ]; } || die "usage: build.sh build VERSION [DIR]"; build "$1" "${2:-$ROOT/dist}" ;;
  prepare) [ $# = 1 ] || die "usage: build.sh prepare VERSION"; prepare "$1" ;;
  verify) [ $# -le 1 ] || die "usage: build.sh verify [TAG]"; verify "${1:-}" ;;
  source-hash) [ $# -le 1 ] || die "usage: build.sh source-hash [DIR]"; source_hash "${1:-$ROOT}" ;;
  *) die "usage: build.sh build|prepare|verify|source-hash (see the top of this file)" ;;
esac
