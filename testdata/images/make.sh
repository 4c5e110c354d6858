#!/bin/bash
# make.sh builds base.tar and head.tar: two small docker-archive images made
# from real Debian packages, for tests that diff a realistic update.
#
# Every input is a Debian binary package pinned to an exact version (and to
# the SHA-256 of its .deb, so a rerun yields the same image digests):
#
#   layer 1, shared by both images (Debian 12 "bookworm", main):
#     base-files        12.4+deb12u15            bookworm
#     busybox-static    1:1.35.0-4+deb12u1+b1    bookworm
#     netbase           6.4                      bookworm
#     plus /bin/sh -> busybox, /etc/passwd and /etc/group with user app (1000)
#   layer 2 of base.tar:
#     ca-certificates   20230311+deb12u1         bookworm
#     python3-six       1.16.0-4                 bookworm   (egg-info)
#     python3-idna      3.3-1+deb12u1            bookworm
#     python3-chardet   5.1.0+dfsg-2             bookworm   (dist-info)
#     python3-starlette 0.26.1-1+deb12u1         bookworm   (dist-info)
#     node-semver       7.3.5+~7.3.9-2           bookworm
#     node-ms           2.1.3+~cs0.7.31-3        bookworm
#   layer 2 of head.tar:
#     ca-certificates   20250419~deb12u2         bookworm-security  (upstream change)
#     python3-six       1.17.0-1                 trixie             (minor; now dist-info)
#     python3-idna      3.3-1+deb12u1            bookworm           (unchanged)
#     python3-starlette 0.26.1-1+deb12u2         bookworm-security  (revision only)
#     node-semver       7.6.1+~7.5.8-2           trixie             (minor)
#     node-ms           2.1.3+~cs0.7.31-3        bookworm           (unchanged)
#     inetutils-ping    2:2.4-2+deb12u3          bookworm           (added; setuid /bin/ping, /bin/ping6)
#     python3-chardet is not installed           (removed)
#   layer 3 of head.tar: chmod 0600 /etc/issue, rm -r /usr/share/doc/busybox-static
#
# Packages are unpacked with `dpkg --root=DIR --force-all --unpack` and then
# configured by dpkg itself (`--configure --pending`) with their postinst
# scripts set aside, since the tools those scripts call (debconf,
# py3compile, update-ca-certificates) are not in these images: the dpkg
# status database is dpkg's own and every package is "install ok installed",
# but no postinst side effect exists (no .pyc files, no CA bundle).
#
# Needs: root, dpkg, apt-get, go. Apt runs on a private configuration under a
# temporary directory; the machine's /etc/apt is not touched. If a pinned
# version has left the mirror, point DEBIAN_MIRROR and DEBIAN_SECURITY_MIRROR
# at a snapshot (e.g. https://snapshot.debian.org/archive/debian/20260601T000000Z).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
MODROOT=$(cd "$HERE/../.." && pwd)
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
# Every file of every layer gets this mtime; both images share it so their
# first layers are byte-identical.
SOURCE_DATE_EPOCH=1767225600 # 2026-01-01T00:00:00Z

die() { echo "make.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root: dpkg --root sets file owners"
for t in dpkg apt-get go sha256sum; do command -v "$t" >/dev/null || die "$t not found"; done

WORK=$(mktemp -d /tmp/imagedrift-images.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# --- private apt configuration -------------------------------------------
APT="$WORK/apt"
mkdir -p "$APT"/etc/{sources.list.d,preferences.d,apt.conf.d} "$APT"/state/lists/partial "$APT"/cache/archives/partial
KEY=/usr/share/keyrings/debian-archive-keyring.gpg
cat >"$APT/etc/sources.list" <<SOURCES
deb [signed-by=$KEY] $MIRROR bookworm main
deb [signed-by=$KEY] $MIRROR bookworm-updates main
deb [signed-by=$KEY] $SECURITY bookworm-security main
deb [signed-by=$KEY] $MIRROR trixie main
SOURCES
cat >"$APT/apt.conf" <<CONF
Dir::Etc "$APT/etc";
Dir::Etc::SourceList "$APT/etc/sources.list";
Dir::Etc::SourceParts "$APT/etc/sources.list.d";
Dir::Etc::Parts "$APT/etc/apt.conf.d";
Dir::Etc::PreferencesParts "$APT/etc/preferences.d";
Dir::State "$APT/state";
Dir::State::status "$APT/state/status";
Dir::Cache "$APT/cache";
APT::Architecture "amd64";
APT::Sandbox::User "root";
Acquire::Languages "none";
CONF
touch "$APT/state/status"
export APT_CONFIG="$APT/apt.conf"
apt-get update -qq

# --- pinned packages: name=version sha256 ---------------------------------
DEBS="$WORK/debs"
mkdir -p "$DEBS"
PINS=(
  "base-files=12.4+deb12u15 3eb1ea6d85488f488cc2a163b98ad640ef88cee4c79287cf14e361aaf6206f47"
  "busybox-static=1:1.35.0-4+deb12u1+b1 3d3fdbe91d4660c873e14b092c213fe81c1da6362daa236eb25d0171eb108744"
  "netbase=6.4 29b23c48c0fe6f878e56c5ddc9f65d1c05d729360f3690a593a8c795031cd867"
  "ca-certificates=20230311+deb12u1 0d5f444f594e48c1e16a41d8fc628a09b24c658916a1274025c2330f2a802bed"
  "ca-certificates=20250419~deb12u2 b9f76b5271a7ac373fd5e7e1b5b826a71ddd702b42a0d104955ecb1acfffc94b"
  "python3-six=1.16.0-4 fd189e9cecbcf17a1fc20aec30055c8afa9c1eec00cd6e7ab385087a2ab3b0d3"
  "python3-six=1.17.0-1 cd1caa92b2860d1de83311cb77f9fab1ee66034ef997cc436d41a1707458666d"
  "python3-idna=3.3-1+deb12u1 0bf81fb1906d3aa607482d09aa3bcbab5c263242b1fd1d93be39658fa783af1a"
  "python3-chardet=5.1.0+dfsg-2 271227b4ca709db673d8bff58b64f4a590ab17b50a9616d49aacc459bbd05f85"
  "python3-starlette=0.26.1-1+deb12u1 1d7313b71a127ab559305678c56753af317785da232654a65186c8c90c3b2c15"
  "python3-starlette=0.26.1-1+deb12u2 89a7072f01286b895f8c6f0c13f8d12bbf95b51660a7a509a126478f8d7bc75e"
  "node-semver=7.3.5+~7.3.9-2 1eeb2fa876308f117432ed87186f68fb5aac254c68eeec9bd9e4e942d40d1566"
  "node-semver=7.6.1+~7.5.8-2 9803f537bc5da49ca5a632d94d7df519c364c4aa3db9484eaf0443197cd20cf9"
  "node-ms=2.1.3+~cs0.7.31-3 71c9a9f8b53cc1545b88735dc4f487f2deb2b5a423cbd95144ea18d1c3187de7"
  "inetutils-ping=2:2.4-2+deb12u3 d657c3933ca5b14e814197de9e6a2bba518d86bb9d801f8479be2429a61f8167"
)
# deb NAME=VERSION prints the path of the downloaded, verified .deb.
deb() {
  local pin want f
  for pin in "${PINS[@]}"; do
    if [ "${pin%% *}" = "$1" ]; then want=${pin#* }; fi
  done
  [ -n "${want:-}" ] || die "$1 is not pinned"
  f=$(find "$DEBS/$1" -name '*.deb' 2>/dev/null | head -n1)
  if [ -z "$f" ]; then
    mkdir -p "$DEBS/$1"
    (cd "$DEBS/$1" && apt-get download -qq "$1" 2>/dev/null) ||
      die "apt-get download $1 failed: is that version still on $MIRROR? (see DEBIAN_MIRROR above)"
    f=$(find "$DEBS/$1" -name '*.deb' | head -n1)
  fi
  echo "$want  $f" | sha256sum --check --quiet >&2 || die "$1: unexpected SHA-256"
  echo "$f"
}

# install ROOT NAME=VERSION...: unpack with dpkg, then let dpkg configure
# them with postinst scripts set aside (see the header).
install() {
  local root=$1 aside="$WORK/aside" f
  shift
  local files=()
  for p in "$@"; do files+=("$(deb "$p")"); done
  dpkg --root="$root" --force-all --unpack "${files[@]}" >"$WORK/dpkg.log" 2>&1 ||
    { cat "$WORK/dpkg.log" >&2; die "dpkg --unpack failed"; }
  rm -rf "$aside" && mkdir "$aside"
  for f in "$root"/var/lib/dpkg/info/*.postinst; do [ -e "$f" ] && mv "$f" "$aside/"; done
  dpkg --root="$root" --force-all --configure --pending >>"$WORK/dpkg.log" 2>&1 ||
    { cat "$WORK/dpkg.log" >&2; die "dpkg --configure failed"; }
  for f in "$aside"/*; do [ -e "$f" ] && mv "$f" "$root/var/lib/dpkg/info/"; done
  # dpkg's scratch files: backups, locks and a log with timestamps.
  rm -f "$root"/var/lib/dpkg/{status-old,available-old,lock,lock-frontend,triggers/Lock} "$root"/var/log/dpkg.log
}

# --- root filesystems, one per layer --------------------------------------
EMPTY="$WORK/empty" R1="$WORK/r1" BASE2="$WORK/base2" HEAD2="$WORK/head2" HEAD3="$WORK/head3"
mkdir -p "$EMPTY" "$R1"/var/lib/dpkg/{info,updates,triggers}
touch "$R1"/var/lib/dpkg/{status,available}

install "$R1" base-files=12.4+deb12u15 busybox-static=1:1.35.0-4+deb12u1+b1 netbase=6.4
ln -s busybox "$R1/bin/sh"
printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n' >"$R1/etc/passwd"
printf 'root:x:0:\napp:x:1000:\n' >"$R1/etc/group"
chmod 0644 "$R1/etc/passwd" "$R1/etc/group"
mkdir -p "$R1/home/app" && chown 1000:1000 "$R1/home/app" && chmod 0755 "$R1/home/app"

cp -a "$R1" "$BASE2"
install "$BASE2" ca-certificates=20230311+deb12u1 python3-six=1.16.0-4 python3-idna=3.3-1+deb12u1 \
  python3-chardet=5.1.0+dfsg-2 python3-starlette=0.26.1-1+deb12u1 node-semver=7.3.5+~7.3.9-2 \
  node-ms=2.1.3+~cs0.7.31-3

cp -a "$R1" "$HEAD2"
install "$HEAD2" ca-certificates=20250419~deb12u2 python3-six=1.17.0-1 python3-idna=3.3-1+deb12u1 \
  python3-starlette=0.26.1-1+deb12u2 node-semver=7.6.1+~7.5.8-2 node-ms=2.1.3+~cs0.7.31-3 \
  inetutils-ping=2:2.4-2+deb12u3

cp -a "$HEAD2" "$HEAD3"
chmod 0600 "$HEAD3/etc/issue"
rm -r "$HEAD3/usr/share/doc/busybox-static"

# --- images ---------------------------------------------------------------
PATHENV=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
L1="$EMPTY|$R1|dpkg --unpack base-files busybox-static netbase; ln -s busybox /bin/sh; add user app"
cd "$MODROOT"
go run ./testdata/images/build.go -out "$HERE/base.tar" -tag example.com/imagedrift/app:base \
  -created 2026-01-15T00:00:00Z -mtime "$SOURCE_DATE_EPOCH" \
  -user app -workdir /home/app -env "$PATHENV" -env LANG=C.UTF-8 -expose 8080/tcp -cmd /bin/sh \
  -label org.opencontainers.image.title=imagedrift-example -label org.opencontainers.image.version=1.0.0 \
  -layer "$L1" \
  -layer "$R1|$BASE2|dpkg --unpack ca-certificates python3-six python3-idna python3-chardet python3-starlette node-semver node-ms"
go run ./testdata/images/build.go -out "$HERE/head.tar" -tag example.com/imagedrift/app:head \
  -created 2026-06-01T00:00:00Z -mtime "$SOURCE_DATE_EPOCH" \
  -user root -workdir /home/app -env "$PATHENV" -env LANG=C.UTF-8 -env PYTHONDONTWRITEBYTECODE=1 \
  -expose 8080/tcp -expose 9090/tcp -cmd /bin/sh \
  -label org.opencontainers.image.title=imagedrift-example -label org.opencontainers.image.version=1.1.0 \
  -layer "$L1" \
  -layer "$R1|$HEAD2|dpkg --unpack ca-certificates python3-six python3-idna python3-starlette node-semver node-ms inetutils-ping" \
  -layer "$HEAD2|$HEAD3|chmod 0600 /etc/issue; rm -r /usr/share/doc/busybox-static"
ls -l "$HERE/base.tar" "$HERE/head.tar"
