#!/bin/sh
# Regenerates the rpm databases in this directory from specs/*.spec with
# the real tools (Debian: apt-get install rpm db5.3-util):
#   rpmdb.sqlite   rpm 4.18's SQLite database after installing the packages
#   Packages       the same headers in a Berkeley DB hash database, written
#                  by Berkeley DB 5.3 as rpm's BDB backend lays it out
#                  (key: 4-byte package instance, native order; key 0: the
#                  instance counter), checked with rpm's own bdb_ro reader
#   rpm-qa.tsv     what `rpm -qa` says of both: the expected answers
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for s in "$here"/specs/*.spec; do
  rpmbuild --quiet -bb --define "_topdir $tmp/build" --define '_build_id_links none' \
    --define 'source_date_epoch_from_changelog 0' --define 'use_source_date_epoch_as_buildtime 1' "$s"
done
export SOURCE_DATE_EPOCH=1704067200
# rpm puts the database under --root; query it there too.
db=var/lib/rpm
mkdir -p "$tmp/root/$db"
ln -s "$tmp/root/$db" "$tmp/db"
rpm --root "$tmp/root" --dbpath "/$db" --define '_db_backend sqlite' --initdb
rpm --root "$tmp/root" --dbpath "/$db" --define '_db_backend sqlite' -i --nodeps --noscripts --ignorearch \
  "$tmp"/build/RPMS/*/*.rpm 2>/dev/null
cp "$tmp/db/rpmdb.sqlite" "$here/rpmdb.sqlite"

qf='%{NAME}\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\t%|ARCH?{%{ARCH}}:{}|\t%|SOURCERPM?{%{SOURCERPM}}:{}|\n'
rpm -qa --dbpath "$tmp/db" --define '_db_backend sqlite' --qf "$qf" | LC_ALL=C sort > "$here/rpm-qa.tsv"

# Headers out of rpm, into a Berkeley DB hash database.
rpmdb --dbpath "$tmp/db" --define '_db_backend sqlite' --exportdb > "$tmp/headers"
python3 - "$tmp/headers" "$tmp/dump" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
magic = b"\x8e\xad\xe8\x01\x00\x00\x00\x00"
out = ["VERSION=3", "format=bytevalue", "type=hash", "db_pagesize=4096", "HEADER=END"]
n, i = 0, 0
while i < len(data):
    assert data[i:i+8] == magic, i
    il, dl = struct.unpack(">II", data[i+8:i+16])
    blob = data[i+8:i+16+16*il+dl]
    n += 1
    out += [" " + struct.pack("<I", n).hex(), " " + blob.hex()]
    i += 8 + len(blob)
out += [" " + struct.pack("<I", 0).hex(), " " + struct.pack("<I", n).hex(), "DATA=END"]
open(sys.argv[2], "w").write("\n".join(out) + "\n")
PY
rm -f "$here/Packages"
db5.3_load -f "$tmp/dump" "$here/Packages"
mkdir -p "$tmp/bdb" && cp "$here/Packages" "$tmp/bdb/"
rpm -qa --dbpath "$tmp/bdb" --define '_db_backend bdb_ro' --qf "$qf" 2>/dev/null | LC_ALL=C sort > "$tmp/bdb-qa.tsv"
cmp "$here/rpm-qa.tsv" "$tmp/bdb-qa.tsv"
echo "generated: $(wc -l < "$here/rpm-qa.tsv") packages"
