package dpkg

import (
	"bytes"
	"encoding/hex"
	"slices"
	"sort"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// md5sums is a package's md5sums file reduced to what the ownership join
// needs: a hash of each path and its MD5 sum, for the paths where the
// inventory computes MD5 (packages.WeakDigestPath); nothing compares the
// others. The paths themselves are in the package's .list already.
type md5sums []md5Entry

type md5Entry struct {
	path uint64 // pathHash of the path, with its leading slash
	sum  [16]byte
}

var weakDir = []byte(packages.WeakDigestDir)

// maxMD5Entries bounds a file that is not an md5sums file.
const maxMD5Entries = 1 << 20

// md5sumsExtractor parses an md5sums file as it streams by: lines of 32
// hex digits, two spaces (or a space and a '*') and a path from the root.
type md5sumsExtractor struct {
	lines   lineSplitter
	entries md5sums
	bad     int
}

func (x *md5sumsExtractor) Write(p []byte) (int, error) {
	x.lines.write(p, x.addLine)
	return len(p), nil
}

func (x *md5sumsExtractor) addLine(line []byte) {
	sum, path, ok := md5Line(line)
	switch {
	case !ok:
		if len(bytes.TrimSpace(line)) > 0 {
			x.bad++
		}
	case len(x.entries) < maxMD5Entries && (bytes.HasPrefix(path, weakDir) || bytes.HasPrefix(path, weakDir[1:])):
		x.entries = append(x.entries, md5Entry{path: pathHash(path), sum: sum})
	}
}

func (x *md5sumsExtractor) Result() (any, error) {
	x.lines.end(x.addLine)
	x.bad += x.lines.long
	e := slices.Clip(x.entries)
	sort.Slice(e, func(i, j int) bool { return e[i].path < e[j].path })
	return &md5Result{sums: e, bad: x.bad}, nil
}

// md5Result is what the extractor keeps of one md5sums file.
type md5Result struct {
	sums md5sums
	bad  int // lines that were not "MD5  PATH"
}

// md5Line splits "d41d8cd98f00b204e9800998ecf8427e  usr/bin/x" into the
// sum and the path.
func md5Line(line []byte) (sum [16]byte, path []byte, ok bool) {
	line = bytes.TrimSuffix(line, []byte("\r"))
	if len(line) < 35 || line[32] != ' ' || line[33] != ' ' && line[33] != '*' {
		return sum, nil, false
	}
	if _, err := hex.Decode(sum[:], line[:32]); err != nil {
		return sum, nil, false
	}
	return sum, line[34:], true
}

// lookup returns the MD5 sum recorded for path.
func (m md5sums) lookup(path []byte) ([16]byte, bool) {
	h := pathHash(path)
	i := sort.Search(len(m), func(i int) bool { return m[i].path >= h })
	if i < len(m) && m[i].path == h {
		return m[i].sum, true
	}
	return [16]byte{}, false
}

// pathHash is the 64-bit FNV-1a hash of a path, with a leading slash
// whether or not it is written: md5sums leave it out, .list files do not.
// A collision would only pair a file with another file's sum.
func pathHash(p []byte) uint64 {
	h := uint64(14695981039346656037)
	if len(p) == 0 || p[0] != '/' {
		h = (h ^ '/') * 1099511628211
	}
	for _, c := range p {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return h
}
