package rpm

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// Header tags of a package's file list (rpmtag.h).
const (
	tagFileFlags   = 1037 // int32 per file; fileConfig marks %config
	tagFileDigests = 1035 // string per file: hex digest, "" for all but regular files
	tagDirIndexes  = 1116 // int32 per file: index in dirnames
	tagBasenames   = 1117 // string per file
	tagDirnames    = 1118 // string per directory, with a trailing slash
	tagDigestAlgo  = 5011 // int32: the algorithm of the file digests (MD5 when absent)

	fileConfig = 1 << 0

	// maxFiles bounds the files of one package (a kernel's modules are
	// some thousands).
	maxFiles = 1 << 20
)

// digestAlgos maps rpm's PGPHASHALGO values to the digests records hold.
var digestAlgos = map[uint32]packages.DigestAlgo{1: packages.MD5, 2: packages.SHA1, 8: packages.SHA256}

type indexEntry struct{ typ, off, count uint32 }

// headerFiles reads the file list of a header blob (see parseHeader for
// the layout): the paths, their digests and which are %config. A header
// without one (a meta-package) owns nothing.
func headerFiles(blob []byte) ([]packages.OwnedFile, error) {
	idx, data, err := headerIndex(blob)
	if err != nil {
		return nil, err
	}
	base, err := stringsAt(data, idx[tagBasenames])
	if err != nil || len(base) == 0 {
		return nil, err
	}
	dirs, err := stringsAt(data, idx[tagDirnames])
	if err != nil {
		return nil, err
	}
	dirIdx, err := int32sAt(data, idx[tagDirIndexes])
	if err != nil {
		return nil, err
	}
	if len(dirIdx) != len(base) {
		return nil, fmt.Errorf("%d directory indexes for %d files", len(dirIdx), len(base))
	}
	digests, _ := stringsAt(data, idx[tagFileDigests])
	flags, _ := int32sAt(data, idx[tagFileFlags])
	algo := packages.MD5
	if a, err := int32sAt(data, idx[tagDigestAlgo]); err == nil && len(a) == 1 {
		algo = digestAlgos[a[0]]
	}
	out := make([]packages.OwnedFile, 0, len(base))
	for i, b := range base {
		if int(dirIdx[i]) >= len(dirs) {
			return nil, fmt.Errorf("file %d: directory index %d of %d", i, dirIdx[i], len(dirs))
		}
		f := packages.OwnedFile{Path: dirs[dirIdx[i]] + b}
		if len(digests) == len(base) && algo != packages.NoDigest {
			f.Digest = packages.HexDigest(algo, digests[i])
		}
		f.Config = len(flags) == len(base) && flags[i]&fileConfig != 0
		out = append(out, f)
	}
	return out, nil
}

// headerIndex reads the index of a header blob, first entry of each tag.
func headerIndex(blob []byte) (map[uint32]indexEntry, []byte, error) {
	if len(blob) < 8 {
		return nil, nil, errNoHeader
	}
	il, dl := binary.BigEndian.Uint32(blob), binary.BigEndian.Uint32(blob[4:])
	if il == 0 || il > maxTags || dl > maxDataSize {
		return nil, nil, errNoHeader
	}
	dataStart := 8 + 16*uint64(il)
	if uint64(len(blob)) < dataStart+uint64(dl) {
		return nil, nil, errNoHeader
	}
	idx := map[uint32]indexEntry{}
	for i := uint64(0); i < uint64(il); i++ {
		e := blob[8+16*i:]
		tag := binary.BigEndian.Uint32(e)
		if _, seen := idx[tag]; !seen {
			idx[tag] = indexEntry{typ: binary.BigEndian.Uint32(e[4:]), off: binary.BigEndian.Uint32(e[8:]), count: binary.BigEndian.Uint32(e[12:])}
		}
	}
	return idx, blob[dataStart : dataStart+uint64(dl)], nil
}

// stringsAt reads a string array entry; nil for a missing one.
func stringsAt(data []byte, e indexEntry) ([]string, error) {
	if e.typ == 0 && e.count == 0 {
		return nil, nil
	}
	if e.typ != typeStringArray || e.count > maxFiles || uint64(e.off) > uint64(len(data)) {
		return nil, fmt.Errorf("bad string array entry (type %d, %d values at %d)", e.typ, e.count, e.off)
	}
	out := make([]string, 0, e.count)
	rest := data[e.off:]
	for range e.count {
		end := bytes.IndexByte(rest, 0)
		if end < 0 {
			return nil, fmt.Errorf("unterminated string in an array of %d", e.count)
		}
		out = append(out, string(rest[:end]))
		rest = rest[end+1:]
	}
	return out, nil
}

// int32sAt reads an int32 array entry; nil for a missing one.
func int32sAt(data []byte, e indexEntry) ([]uint32, error) {
	if e.typ == 0 && e.count == 0 {
		return nil, nil
	}
	if e.typ != typeInt32 || e.count > maxFiles || uint64(e.off)+4*uint64(e.count) > uint64(len(data)) {
		return nil, fmt.Errorf("bad int32 array entry (type %d, %d values at %d)", e.typ, e.count, e.off)
	}
	out := make([]uint32, e.count)
	for i := range out {
		out[i] = binary.BigEndian.Uint32(data[e.off+4*uint32(i):])
	}
	return out, nil
}
