package golang

import (
	"bytes"
	"debug/elf"
	"fmt"
	"runtime/debug"

	"github.com/imagedrift/imagedrift/internal/packages/golang/elfhead"
)

// Binary is what the extractor keeps of a Go executable.
type Binary struct {
	GoVersion string
	Info      *debug.BuildInfo
}

type state uint8

const (
	stHead state = iota // buffering the ELF header and program headers
	stScan              // searching the data segments for the magic
	stBlob              // collecting the build info blob
	stDone              // nothing more to read
)

// span is a file range to search: the file extent of a writable,
// non-executable load segment, where the Go linker puts .go.buildinfo
// (and where debug/buildinfo looks when it does not use section names).
type span struct {
	start, end int64
	// phase is the segment's (vaddr - offset) mod 16: the magic is
	// 16-byte aligned in memory, so at an offset o with (o+phase)%16 == 0.
	phase int64
}

// scanner is the streaming Extractor. It keeps the ELF prefix until the
// program headers are decoded, then at most 13 bytes of a possible magic
// cut by a Write boundary, then the blob itself.
type scanner struct {
	st    state
	off   int64 // file offset of the next byte written
	head  []byte
	need  int
	spans []span
	// pend holds the first npend bytes of a 16-byte aligned block at
	// pendOff that was cut by the end of a Write.
	pend    [len(magic)]byte
	npend   int
	pendOff int64
	blob    []byte
	blobMax int64 // bytes the blob may hold before its segment ends
	blobEnd int   // length at which parseBlob is worth calling again
	err     error
	bin     *Binary
}

func (s *scanner) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 && s.st != stDone {
		var used int
		switch s.st {
		case stHead:
			used = s.writeHead(p)
		case stScan:
			used = s.writeScan(p)
		case stBlob:
			used = s.writeBlob(p)
		}
		s.off += int64(used)
		p = p[used:]
	}
	return n, nil
}

func (s *scanner) fail(err error) {
	s.err, s.st, s.head, s.blob = err, stDone, nil, nil
}

// writeHead buffers the ELF header and program headers.
func (s *scanner) writeHead(p []byte) int {
	if s.need == 0 {
		s.need = 64
	}
	k := min(s.need-len(s.head), len(p))
	s.head = append(s.head, p[:k]...)
	if len(s.head) < s.need {
		return k
	}
	need, err := elfhead.Need(s.head)
	if err != nil {
		s.st, s.head = stDone, nil // not ELF, or not worth reading: not a Go binary
		return k
	}
	if need > len(s.head) {
		s.need = need
		return k
	}
	h, err := elfhead.Parse(s.head)
	s.head = nil
	if err != nil {
		s.st = stDone
		return k
	}
	s.setSpans(h)
	return k
}

func (s *scanner) setSpans(h *elfhead.Header) {
	for _, p := range h.Progs {
		if p.Type != elf.PT_LOAD || p.Flags&(elf.PF_X|elf.PF_W) != elf.PF_W || p.Filesz == 0 {
			continue
		}
		start, end := int64(p.Off), int64(p.Off+p.Filesz)
		if start < 0 || end < start {
			continue
		}
		s.spans = append(s.spans, span{start: start, end: end, phase: int64((p.Vaddr - p.Off) % blobAlign)})
	}
	if len(s.spans) == 0 {
		s.st = stDone
		return
	}
	s.st = stScan
}

// writeScan looks for the magic in the parts of p inside a span. It
// returns how much of p it consumed: all of it, or up to the magic.
func (s *scanner) writeScan(p []byte) int {
	base, end := s.off, s.off+int64(len(p))
	pastAll := true
	for _, sp := range s.spans {
		if sp.end > base {
			pastAll = false
		}
		lo, hi := max(sp.start, base), min(sp.end, end)
		if lo >= hi {
			continue
		}
		if at, ok := s.search(p[lo-base:hi-base], lo, sp); ok {
			s.startBlob(at, sp)
			return int(max(at+int64(len(magic)), base) - base)
		}
	}
	if pastAll {
		s.st = stDone
	}
	return len(p)
}

// search finds an aligned magic starting in region (at file offset off)
// or completed by it, keeping a cut block for the next call.
func (s *scanner) search(region []byte, off int64, sp span) (int64, bool) {
	if s.npend > 0 {
		if s.pendOff+int64(s.npend) != off {
			s.npend = 0
		} else {
			k := copy(s.pend[s.npend:], region)
			s.npend += k
			if s.npend < len(magic) {
				return 0, false
			}
			s.npend = 0
			if string(s.pend[:]) == magic {
				return s.pendOff, true
			}
		}
	}
	for i := 0; i < len(region); {
		j := bytes.Index(region[i:], []byte(magic))
		if j < 0 {
			break
		}
		at := off + int64(i+j)
		if (at+sp.phase)%blobAlign == 0 {
			return at, true
		}
		i += j + 1
	}
	// An aligned block that starts within the last len(magic)-1 bytes
	// may hold a magic that the next Write completes.
	end := off + int64(len(region))
	a := end - 1 - (end-1+sp.phase)%blobAlign // last aligned offset < end
	if a >= off && end-a < int64(len(magic)) && a+int64(len(magic)) <= sp.end {
		s.npend = copy(s.pend[:], region[a-off:])
		s.pendOff = a
	}
	return 0, false
}

func (s *scanner) startBlob(at int64, sp span) {
	s.st, s.npend = stBlob, 0
	s.blobMax = min(sp.end-at, maxBlob)
	s.blob = append(make([]byte, 0, 512), magic...)
	s.blobEnd = blobHeaderSize
}

// writeBlob collects the blob until parseBlob has all it needs.
func (s *scanner) writeBlob(p []byte) int {
	if int64(s.blobEnd) > s.blobMax {
		s.fail(fmt.Errorf("Go build info runs past the end of its segment (needs %d bytes, %d left)", s.blobEnd, s.blobMax))
		return 0
	}
	k := min(len(p), s.blobEnd-len(s.blob))
	s.blob = append(s.blob, p[:k]...)
	if len(s.blob) < s.blobEnd {
		return k
	}
	vers, mod, need, err := parseBlob(s.blob)
	switch {
	case err != nil:
		s.fail(err)
	case need > 0:
		s.blobEnd = need
	default:
		s.blob = nil
		s.st = stDone
		s.finish(vers, mod)
	}
	return k
}

func (s *scanner) finish(vers, mod string) {
	bi, err := debug.ParseBuildInfo(mod)
	if err != nil {
		s.err = fmt.Errorf("Go build info: %w", err)
		return
	}
	bi.GoVersion = vers
	s.bin = &Binary{GoVersion: vers, Info: bi}
}

// Result returns a *Binary for a Go executable, nil for any other file,
// and an error for build info that is present but unreadable.
func (s *scanner) Result() (any, error) {
	switch {
	case s.err != nil:
		return nil, s.err
	case s.st == stBlob:
		return nil, fmt.Errorf("Go build info truncated: file ends %d bytes into it", len(s.blob))
	case s.bin != nil:
		return s.bin, nil
	}
	return nil, nil
}
