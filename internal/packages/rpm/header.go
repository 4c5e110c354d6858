package rpm

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
)

// rpm header tags and types used here (rpmtag.h).
const (
	tagName      = 1000
	tagVersion   = 1001
	tagRelease   = 1002
	tagEpoch     = 1003
	tagArch      = 1022
	tagSourceRPM = 1044

	typeInt32       = 4
	typeString      = 6
	typeStringArray = 8
	typeI18NString  = 9

	// Limits rpm itself enforces on a header (header.c).
	maxTags     = 0xffff
	maxDataSize = 256 << 20
)

// header is what cataloging needs from one installed package's header.
type header struct {
	name, version, release, arch, sourceRPM string
	epoch                                   *int32
}

var errNoHeader = errors.New("not an rpm header")

// parseHeader reads a header blob as the rpm database stores it: the
// index length il and data length dl (big-endian), il 16-byte index
// entries (tag, type, offset, count), then dl bytes of data.
func parseHeader(blob []byte) (header, error) {
	var h header
	if len(blob) < 8 {
		return h, fmt.Errorf("%w: %d bytes", errNoHeader, len(blob))
	}
	il, dl := binary.BigEndian.Uint32(blob), binary.BigEndian.Uint32(blob[4:])
	if il == 0 || il > maxTags || dl > maxDataSize {
		return h, fmt.Errorf("%w: %d tags, %d data bytes", errNoHeader, il, dl)
	}
	dataStart := 8 + 16*uint64(il)
	if uint64(len(blob)) < dataStart+uint64(dl) {
		return h, fmt.Errorf("%w: %d bytes, header needs %d", errNoHeader, len(blob), dataStart+uint64(dl))
	}
	data := blob[dataStart : dataStart+uint64(dl)]
	seen := map[uint32]bool{}
	for i := uint64(0); i < uint64(il); i++ {
		e := blob[8+16*i:]
		tag, typ := binary.BigEndian.Uint32(e), binary.BigEndian.Uint32(e[4:])
		off := binary.BigEndian.Uint32(e[8:])
		if seen[tag] {
			continue // a tag appears once; repeats would only cost scans
		}
		seen[tag] = true
		switch tag {
		case tagName, tagVersion, tagRelease, tagArch, tagSourceRPM:
			s, err := stringAt(data, typ, off)
			if err != nil {
				return h, fmt.Errorf("tag %d: %w", tag, err)
			}
			h.set(tag, s)
		case tagEpoch:
			if typ != typeInt32 || uint64(off)+4 > uint64(len(data)) {
				return h, fmt.Errorf("tag %d: bad epoch entry", tag)
			}
			e := int32(binary.BigEndian.Uint32(data[off:]))
			h.epoch = &e
		}
	}
	if h.name == "" || h.version == "" {
		return h, fmt.Errorf("%w: no name or version", errNoHeader)
	}
	return h, nil
}

func (h *header) set(tag uint32, s string) {
	switch tag {
	case tagName:
		h.name = s
	case tagVersion:
		h.version = s
	case tagRelease:
		h.release = s
	case tagArch:
		h.arch = s
	case tagSourceRPM:
		h.sourceRPM = s
	}
}

// stringAt reads the (first) NUL-terminated string of a string entry.
func stringAt(data []byte, typ, off uint32) (string, error) {
	if typ != typeString && typ != typeStringArray && typ != typeI18NString {
		return "", fmt.Errorf("type %d is not a string", typ)
	}
	if uint64(off) >= uint64(len(data)) {
		return "", fmt.Errorf("offset %d outside %d data bytes", off, len(data))
	}
	s := data[off:]
	end := bytes.IndexByte(s, 0)
	if end < 0 {
		return "", errors.New("unterminated string")
	}
	return string(s[:end]), nil
}

// evr is [epoch:]version[-release], the epoch shown whenever the header
// has one, as rpm -q --qf '%|EPOCH?{%{EPOCH}:}|%{VERSION}-%{RELEASE}' does.
func (h header) evr() string {
	v := h.version
	if h.release != "" {
		v += "-" + h.release
	}
	if h.epoch != nil {
		v = fmt.Sprintf("%d:%s", *h.epoch, v)
	}
	return v
}

// source splits the source RPM's file name, name-version-release.src.rpm,
// into its name and version-release.
func (h header) source() (name, versionRelease string) {
	s := strings.TrimSuffix(strings.TrimSuffix(h.sourceRPM, ".src.rpm"), ".nosrc.rpm")
	if s == h.sourceRPM {
		return "", ""
	}
	r := strings.LastIndexByte(s, '-')
	if r <= 0 {
		return "", ""
	}
	v := strings.LastIndexByte(s[:r], '-')
	if v <= 0 {
		return "", ""
	}
	return s[:v], s[v+1:]
}
