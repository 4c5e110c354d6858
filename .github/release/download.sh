#!/usr/bin/env bash
# The action's fast path (action.yml, step "Download imagedrift"): when the action runs from a
# release, fetch the binary released for this runner and check its SHA-256 against the checksum
# committed beside this script before it is ever run. Otherwise say why, and leave the binary to the
# source build that follows (the binary cache, then go build).
#
# Which refs use a release: a release tag vX.Y.Z[-pre] whose committed release.env names that very
# version, and a moving tag vX or vX.Y (a major tag moved onto a release has no release of its own:
# the release is the one release.env names, when it is in that series). In both cases the action's
# source must be the one the release was built from (release.env's source hash), so a tag moved onto
# a later commit, a fork or a branch never runs an older binary than its source. Commit SHAs,
# branches and anything else build from source.
#
# Environment:
#   IMAGEDRIFT_REF               the ref the workflow pinned (github.action_ref)
#   CLI_DIR                      where the binary goes, as CLI_DIR/imagedrift
#   RUNNER_OS, RUNNER_ARCH       Linux|macOS, X64|ARM64 (others build from source)
#   GITHUB_OUTPUT                gets installed=true, or installed=false for the source build
#   IMAGEDRIFT_RELEASE_URL       the releases' download base (default
#                                https://github.com/imagedrift/imagedrift/releases/download)
#   IMAGEDRIFT_DOWNLOAD_TIMEOUT  seconds for the whole download (default 60)
# Exit status 0 when the binary is installed or the source build is to run; 1 when the download does
# not match the committed checksum: that is never papered over by building from source, since it
# means the release or the connection to it has been tampered with, or the release is broken.
#
# A slow or unreachable server, a missing asset or an HTTP error fall back to the source build with a
# warning: they say nothing about integrity, and the source at hand is what the workflow pinned. The
# timeout is below the time of a cold source build (about two minutes), so waiting longer would cost
# more than building.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
META=$HERE/release.env
SUMS=$HERE/checksums.txt
REF=${IMAGEDRIFT_REF:-}
BASE=${IMAGEDRIFT_RELEASE_URL:-https://github.com/imagedrift/imagedrift/releases/download}
TIMEOUT=${IMAGEDRIFT_DOWNLOAD_TIMEOUT:-60}
OUTPUT=${GITHUB_OUTPUT:-/dev/null}
: "${CLI_DIR:?CLI_DIR names no folder}"

now() { if [ -n "${EPOCHREALTIME:-}" ]; then echo "${EPOCHREALTIME/,/.}"; else date +%s; fi; }
T0=$(now)
# took [START]: seconds since START (default: since the step began)
took() { awk -v a="${1:-$T0}" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

# source_build REASON [warning]: the source build runs next; a warning when a release was expected.
source_build() {
  if [ "${2:-}" = warning ]; then
    echo "::warning title=imagedrift built from source::$1; building imagedrift from source instead"
  fi
  echo "imagedrift: building from source: $1"
  echo "installed=false" >>"$OUTPUT"
  exit 0
}

if command -v sha256sum >/dev/null 2>&1; then SHA256=(sha256sum); else SHA256=(shasum -a 256); fi

# ---------------------------------------------------------------- is this a release?
exact='^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$'
moving='^v[0-9]+(\.[0-9]+)?$'
if [ -z "$REF" ]; then
  source_build "no action ref (a local action, uses: ./)"
elif ! [[ $REF =~ $exact || $REF =~ $moving ]]; then
  source_build "ref $REF is not a release tag (vX.Y.Z, or a major tag such as v1 moved onto one)"
fi
if [ ! -f "$META" ] || [ ! -f "$SUMS" ]; then
  source_build "the action at $REF names no release (no .github/release/release.env)"
fi
version=$(sed -n 's/^version=//p' "$META" | head -1)
source=$(sed -n 's/^source=//p' "$META" | head -1)
if [[ $REF =~ $exact ]]; then
  [ "$version" = "$REF" ] || source_build "the action at $REF carries the checksums of ${version:-no release}, not of $REF" warning
else
  case $version in
    "$REF".*) ;;
    *) source_build "the action at $REF was prepared as ${version:-no release}, which is not a $REF release" ;;
  esac
fi
here=$(bash "$HERE/build.sh" source-hash "$HERE/../..") || source_build "cannot hash the action's source" warning
if [ "$here" != "$source" ]; then
  # A release tag is never on other source (the release workflow refuses it): worth a warning. A
  # major tag is, between releases, wherever its maintainers' checkouts put it.
  if [[ $REF =~ $exact ]]; then level=warning; else level=; fi
  source_build "the action's source at $REF is not the source $version was built from" $level
fi

case ${RUNNER_OS:-}/${RUNNER_ARCH:-} in
  Linux/X64) platform=linux_amd64 ;;
  Linux/ARM64) platform=linux_arm64 ;;
  macOS/X64) platform=darwin_amd64 ;;
  macOS/ARM64) platform=darwin_arm64 ;;
  *) source_build "$version has no binary for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}" ;;
esac
asset=imagedrift_$platform
want=$(awk -v f="$asset" '$2 == f { print $1 }' "$SUMS" | head -1)
[ -n "$want" ] || source_build "the committed checksums of $version list no $asset" warning

# ---------------------------------------------------------------- download and verify
command -v curl >/dev/null 2>&1 || source_build "curl is not installed" warning
mkdir -p "$CLI_DIR" || exit 1
part=$CLI_DIR/.imagedrift.download.$$
url=$BASE/$version/$asset
trap 'rm -f "$part" "$part.err"' EXIT
rc=0
t=$(now)
code=$(curl --silent --show-error --location --fail --proto '=http,https' --proto-redir =https \
  --connect-timeout 10 --max-time "$TIMEOUT" --retry 2 --retry-delay 1 --retry-max-time "$TIMEOUT" \
  --output "$part" --write-out '%{http_code}' "$url" 2>"$part.err") || rc=$?
if [ "$rc" != 0 ]; then
  case $rc in
    22) source_build "no $asset in release $version ($url: HTTP $code, after $(took "$t"))" warning ;;
    28) source_build "the download of $url timed out after $(took "$t") (limit ${TIMEOUT}s)" warning ;;
    *) source_build "the download of $url failed after $(took "$t"): $(tr '\n' ' ' <"$part.err" | sed 's/ *$//')" warning ;;
  esac
fi
got=$("${SHA256[@]}" "$part" | cut -c1-64)
if [ "$got" != "$want" ]; then
  echo "::error title=imagedrift binary rejected::$url has SHA-256 $got, but the checksum committed in the action at $REF (.github/release/checksums.txt) is $want. The binary was not run. A release asset that does not match its committed checksum is either damaged or tampered with: report it (SECURITY.md), or pin the action by commit SHA to build it from source."
  exit 1
fi
chmod 0755 "$part" && mv -f "$part" "$CLI_DIR/imagedrift" || exit 1
echo "imagedrift: downloaded $asset of release $version and verified its SHA-256 ($got) against the checksum committed in the action, in $(took)"
"$CLI_DIR/imagedrift" version || exit 1
echo "installed=true" >>"$OUTPUT"
