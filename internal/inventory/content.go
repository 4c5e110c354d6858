package inventory

import (
	"crypto/md5"
	"crypto/sha1"
	"encoding/binary"
	"hash"
	"io"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// sniffer passes content on and keeps its first bytes, which say whether
// the file is an ELF object or a script: enough to tell what `curl | sh`,
// ADD of a URL or a copied build artifact left behind.
type sniffer struct {
	w    io.Writer
	head [20]byte
	n    int
}

func (s *sniffer) Write(p []byte) (int, error) {
	if s.n < len(s.head) {
		s.n += copy(s.head[s.n:], p)
	}
	return s.w.Write(p)
}

// kind reads the head: ELF objects of type EXEC or DYN (programs, PIEs
// and shared libraries, not object files or core dumps), and "#!"
// scripts with an execute bit (a library's .py files often carry a
// shebang line but are never run as programs).
func (s *sniffer) kind(mode uint32) Executable {
	h := s.head[:s.n]
	switch {
	case len(h) >= 18 && string(h[:4]) == "\x7fELF":
		var typ uint16
		switch h[5] {
		case 1:
			typ = binary.LittleEndian.Uint16(h[16:])
		case 2:
			typ = binary.BigEndian.Uint16(h[16:])
		}
		if typ == 2 || typ == 3 {
			return ExecutableELF
		}
	case len(h) >= 2 && h[0] == '#' && h[1] == '!' && mode&0o111 != 0:
		return ExecutableScript
	}
	return ExecutableNone
}

// Package records digest files with MD5 (dpkg) or SHA-1 (apk), which the
// pass computes only where packages.WeakDigestPath says: elsewhere an
// edit shows as a later layer writing over what the install wrote (see
// ownership.go).
func wantsRecordDigests(p string, size int64) bool {
	return size <= packages.MaxWeakDigest && packages.WeakDigestPath(p)
}

// recordDigests are a file's MD5 and SHA-1 sums.
type recordDigests struct {
	md5  [md5.Size]byte
	sha1 [sha1.Size]byte
}

// digester is the extractor computing recordDigests.
type digester struct{ md5, sha1 hash.Hash }

func newRecordDigests() *digester { return &digester{md5: md5.New(), sha1: sha1.New()} }

func (d *digester) Write(p []byte) (int, error) {
	d.md5.Write(p)
	d.sha1.Write(p)
	return len(p), nil
}

func (d *digester) Result() (any, error) {
	var r recordDigests
	d.md5.Sum(r.md5[:0])
	d.sha1.Sum(r.sha1[:0])
	return &r, nil
}
