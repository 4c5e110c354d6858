#!/usr/bin/env bash
# Release notes for TAG from the history: the commits since the previous release tag (merges left
# out, newest first, a merged branch's commits together), how to use the release, and how to check
# its binaries. The release workflow publishes them; run it locally to see them before tagging (TAG
# may be HEAD's future tag, with REV the commit to list up to).
#
#   notes.sh TAG [REV]     REV defaults to TAG
#
# The previous release is the nearest tag vX.Y.Z reachable from REV's parent; for a final release
# prereleases (vX.Y.Z-rc.1) are skipped, so its notes cover the whole cycle. Moving tags (v1) never
# count: they name no release of their own.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then echo "usage: notes.sh TAG [REV]" >&2; exit 2; fi
tag=$1 rev=${2:-$1}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
go=
[ ! -f "$HERE/release.env" ] || go=$(sed -n 's/^go=//p' "$HERE/release.env" | head -1)

exclude=()
case $tag in *-*) ;; *) exclude=(--exclude '*-*') ;; esac
prev=$(git describe --tags --abbrev=0 --match 'v[0-9]*.[0-9]*.[0-9]*' ${exclude[@]+"${exclude[@]}"} "$rev^" 2>/dev/null || true)

echo "## imagedrift $tag"
echo
if [ -n "$prev" ]; then
  echo "Changes since $prev:"
  range=$prev..$rev
else
  echo "Changes (the first release):"
  range=$rev
fi
echo
git log --no-merges --topo-order --format='- %s (%h)' "$range"
cat <<MD

### Use it

\`\`\`yaml
      - uses: imagedrift/imagedrift@$tag
\`\`\`

or \`@${tag%%.*}\`, which is moved onto each ${tag%%.*} release. On a release the action downloads the binary
for its runner from these assets and runs it only if its SHA-256 is the one committed in the action at
the tag (\`.github/release/checksums.txt\`, the same as \`checksums.txt\` here); pinned by commit SHA, it
builds the same program from source.

### Check the binaries

\`\`\`sh
sha256sum --check --ignore-missing checksums.txt     # macOS: shasum -a 256 --check --ignore-missing checksums.txt
\`\`\`

The build is reproducible: at the tag, \`bash .github/release/build.sh build $tag\`${go:+ (with $go)} gives
the same bytes.
MD
