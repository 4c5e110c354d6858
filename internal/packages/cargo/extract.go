package cargo

import (
	"debug/elf"
	"fmt"
	"io"

	"github.com/imagedrift/imagedrift/internal/packages/golang/elfhead"
)

// sectionName is where cargo-auditable puts its data in ELF files.
const sectionName = ".dep-v0"

// maxTail bounds the non-loaded end of an executable kept in memory.
// Tests lower it.
var maxTail int64 = 64 << 20

// maxSection bounds the compressed section read.
const maxSection = 8 << 20

// extractor keeps the parts of an ELF executable where a .dep-v0 section
// and the section headers that locate it can be.
//
// cargo-auditable links .dep-v0 as a non-allocated section, and linkers
// place non-allocated sections (.comment, debug info, .symtab, .strtab)
// after everything the program headers load, with the section header
// table at e_shoff, usually the very end. So once the header and program
// headers are read, the extractor keeps the bytes past the last loaded
// byte (at most the final maxTail of the file, where .dep-v0 sits: after
// debug info, before the symbol table), plus the section header table
// wherever it is, and skips the rest: stripped C binaries keep a few KB.
type extractor struct {
	size int64 // the file's size as the tar header says
	off  int64
	head []byte
	need int
	keep keeper
	done bool // nothing more to keep
	// tailCut is set when the non-loaded end was larger than maxTail.
	tailCut bool
}

func (x *extractor) Write(p []byte) (int, error) {
	n := len(p)
	if !x.done && x.keep.spans == nil {
		p = x.writeHead(p)
	}
	if !x.done && len(p) > 0 {
		x.keep.write(p, x.off)
	}
	x.off += int64(len(p))
	if x.keep.spans != nil && x.keep.done(x.off) {
		x.done = true
	}
	return n, nil
}

// writeHead buffers the ELF prefix until the program headers are in,
// then decides what to keep; it returns the part of p after the prefix.
func (x *extractor) writeHead(p []byte) []byte {
	if x.need == 0 {
		x.need = 64
	}
	k := min(x.need-len(x.head), len(p))
	x.head = append(x.head, p[:k]...)
	x.off += int64(k)
	p = p[k:]
	if len(x.head) < x.need {
		return p
	}
	need, err := elfhead.Need(x.head)
	if err != nil {
		x.done, x.head = true, nil
		return nil
	}
	if need > len(x.head) {
		x.need = need
		return x.writeHead(p)
	}
	h, err := elfhead.Parse(x.head)
	if err != nil || (h.Type != elf.ET_EXEC && h.Type != elf.ET_DYN) || len(h.Progs) == 0 {
		x.done, x.head = true, nil
		return nil
	}
	x.plan(h)
	return p
}

// plan chooses the ranges to keep.
func (x *extractor) plan(h *elfhead.Header) {
	var loaded int64
	for _, p := range h.Progs {
		if end := int64(p.Off + p.Filesz); end > loaded && end <= x.size {
			loaded = end
		}
	}
	tail := max(loaded, int64(len(x.head)))
	if x.size-tail > maxTail {
		tail, x.tailCut = x.size-maxTail, true
	}
	x.keep.add(0, int64(len(x.head)))
	x.keep.add(tail, x.size)
	if h.Shoff > 0 && h.Shoff < uint64(x.size) {
		x.keep.add(int64(h.Shoff), min(int64(h.Shoff)+int64(h.Shnum)*int64(h.Shentsize), x.size))
	}
	x.keep.write(x.head, 0)
	x.head = nil
}

// Result returns the crates of a cargo-auditable executable, nil for
// any other file, and an error when a .dep-v0 section is there but
// cannot be read.
func (x *extractor) Result() (any, error) {
	if x.keep.spans == nil {
		return nil, nil
	}
	// What Result returns is decoded from copies of the kept bytes.
	defer x.keep.release()
	f, err := elf.NewFile(&x.keep)
	if err != nil {
		switch {
		case x.keep.contains([]byte(sectionName + "\x00")):
			return nil, fmt.Errorf("cannot read the section headers locating %s: %w", sectionName, err)
		case x.tailCut:
			return nil, fmt.Errorf("executable has more than %d bytes of unloaded sections; only the last %d were kept, and its section names were not among them: cargo-auditable data not checked", maxTail, maxTail)
		}
		return nil, nil // not a well-formed ELF file: not ours to report
	}
	s := f.Section(sectionName)
	if s == nil {
		return nil, nil
	}
	data, err := sectionData(s)
	if err != nil {
		if x.tailCut {
			err = fmt.Errorf("%w (only the last %d bytes of the file were kept)", err, maxTail)
		}
		return nil, err
	}
	a, err := decodeAudit(data)
	if err != nil {
		return nil, fmt.Errorf("%s section: %w", sectionName, err)
	}
	return a, nil
}

func sectionData(s *elf.Section) ([]byte, error) {
	if s.Type == elf.SHT_NOBITS {
		return nil, fmt.Errorf("%s section has no data", sectionName)
	}
	if s.Size > maxSection {
		return nil, fmt.Errorf("%s section is %d bytes, over the %d-byte limit", sectionName, s.Size, maxSection)
	}
	data, err := io.ReadAll(s.Open())
	if err != nil {
		return nil, fmt.Errorf("read %s section at offset %d: %w", sectionName, s.Offset, err)
	}
	return data, nil
}
