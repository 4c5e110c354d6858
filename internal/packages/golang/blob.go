package golang

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// The build info blob starts with a 32-byte header: the magic, a pointer
// size byte, a flags byte and, before Go 1.18, two pointers. Since Go 1.18
// (flagsVersionInl) the header is followed by the Go version and the
// module info as varint-length-prefixed strings. See debug/buildinfo.
const (
	magic            = "\xff Go buildinf:"
	blobAlign        = 16
	blobHeaderSize   = 32
	flagsOffset      = 15
	flagsVersionMask = 0x2
	flagsVersionInl  = 0x2
)

// maxBlob bounds the blob kept: the module list of the largest real
// binaries (a few thousand dependencies) is far smaller.
const maxBlob = 4 << 20

var (
	errPointerFormat = errors.New("Go build info is in the pre-1.18 pointer format, which cannot be read while streaming; modules not listed")
	errNoVersion     = errors.New("Go build info has an empty Go version")
)

// parseBlob decodes a build info blob b that starts with the magic. When b
// is too short it returns need > len(b), the length worth waiting for
// (the exact total once both string lengths are known); otherwise the Go
// version and the module info with its framing sentinels removed.
func parseBlob(b []byte) (vers, mod string, need int, err error) {
	if len(b) < blobHeaderSize {
		return "", "", blobHeaderSize, nil
	}
	if !bytes.HasPrefix(b, []byte(magic)) {
		return "", "", 0, errors.New("Go build info: bad magic")
	}
	if b[flagsOffset]&flagsVersionMask != flagsVersionInl {
		return "", "", 0, errPointerFormat
	}
	vStart, vEnd, need, err := lenString(b, blobHeaderSize)
	if need > 0 || err != nil {
		return "", "", need, err
	}
	mStart, mEnd, need, err := lenString(b, vEnd)
	if need > 0 || err != nil {
		return "", "", need, err
	}
	vers, mod = string(b[vStart:vEnd]), string(b[mStart:mEnd])
	if vers == "" {
		return "", "", 0, errNoVersion
	}
	// Strip the sentinels around the module info (cmd/go's infoStart and
	// infoEnd), exactly as debug/buildinfo does.
	if len(mod) >= 33 && mod[len(mod)-17] == '\n' {
		mod = mod[16 : len(mod)-16]
	} else {
		mod = ""
	}
	return vers, mod, 0, nil
}

// lenString locates the varint-prefixed string at b[at:]. need > 0 asks
// for more bytes.
func lenString(b []byte, at int) (start, end, need int, err error) {
	n, k := binary.Uvarint(b[at:])
	switch {
	case k == 0 && len(b)-at < binary.MaxVarintLen64:
		return 0, 0, len(b) + 1, nil
	case k <= 0:
		return 0, 0, 0, errors.New("Go build info: bad string length")
	case n > maxBlob || at+k+int(n) > maxBlob:
		return 0, 0, 0, fmt.Errorf("Go build info is larger than %d bytes", maxBlob)
	}
	start, end = at+k, at+k+int(n)
	if end > len(b) {
		return 0, 0, end, nil
	}
	return start, end, 0, nil
}
