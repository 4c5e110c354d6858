package elfhead

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
)

// Magic starts every ELF file.
const Magic = "\x7fELF"

// MaxPrefix bounds the prefix Need may ask for. Linkers put the program
// header table right after the 64-byte ELF header; a table that ends
// further than this is not worth buffering.
const MaxPrefix = 64 << 10

// maxProgs bounds the program headers kept: real executables have a
// dozen or so.
const maxProgs = 256

// ErrNotELF reports a file that does not start with the ELF magic.
var ErrNotELF = errors.New("not an ELF file")

// Prog is one program header.
type Prog struct {
	Type   elf.ProgType
	Flags  elf.ProgFlag
	Off    uint64
	Vaddr  uint64
	Filesz uint64
}

// Header is what the start of an ELF file says about its layout.
type Header struct {
	Class     elf.Class
	ByteOrder binary.ByteOrder
	Type      elf.Type
	Machine   elf.Machine
	// Shoff is the offset of the section header table, Shnum its entry
	// count and Shentsize the size of one entry.
	Shoff     uint64
	Shnum     uint16
	Shentsize uint16
	Progs     []Prog
}

// Need returns how many leading bytes of the file Parse needs, given at
// least the first 64 (fewer when the file is shorter). It fails for
// non-ELF data and for a program header table past MaxPrefix.
func Need(b []byte) (int, error) {
	f, err := fixed(b)
	if err != nil {
		return 0, err
	}
	end := f.phoff + uint64(f.phnum)*uint64(f.phentsize)
	if f.phnum == 0 {
		end = uint64(f.ehsize)
	}
	if end > MaxPrefix {
		return 0, fmt.Errorf("ELF program headers end at byte %d, past the %d-byte prefix kept", end, MaxPrefix)
	}
	return max(int(end), f.ehsize), nil
}

// Parse decodes the ELF header and program headers from the file prefix
// b, which must be at least as long as Need says.
func Parse(b []byte) (*Header, error) {
	n, err := Need(b)
	if err != nil {
		return nil, err
	}
	if len(b) < n {
		return nil, fmt.Errorf("ELF header: have %d bytes, need %d", len(b), n)
	}
	f, _ := fixed(b)
	h := &Header{Class: f.class, ByteOrder: f.bo, Type: f.typ, Machine: f.machine,
		Shoff: f.shoff, Shnum: f.shnum, Shentsize: f.shentsize}
	if int(f.phnum) > maxProgs {
		return nil, fmt.Errorf("ELF file has %d program headers, more than %d", f.phnum, maxProgs)
	}
	h.Progs = make([]Prog, 0, f.phnum)
	for i := range int(f.phnum) {
		off := int(f.phoff) + i*int(f.phentsize)
		h.Progs = append(h.Progs, f.prog(b[off:off+int(f.phentsize)]))
	}
	return h, nil
}

// fields holds the ELF header fields in a class-independent form.
type fields struct {
	class            elf.Class
	bo               binary.ByteOrder
	typ              elf.Type
	machine          elf.Machine
	phoff, shoff     uint64
	ehsize           int
	phentsize, phnum uint16
	shentsize, shnum uint16
}

func fixed(b []byte) (fields, error) {
	var f fields
	if len(b) < 4 || !bytes.Equal(b[:4], []byte(Magic)) {
		return f, ErrNotELF
	}
	if len(b) < elf.EI_NIDENT {
		return f, errors.New("ELF header truncated")
	}
	switch elf.Data(b[elf.EI_DATA]) {
	case elf.ELFDATA2LSB:
		f.bo = binary.LittleEndian
	case elf.ELFDATA2MSB:
		f.bo = binary.BigEndian
	default:
		return f, fmt.Errorf("ELF header: unknown data encoding %d", b[elf.EI_DATA])
	}
	f.class = elf.Class(b[elf.EI_CLASS])
	var min uint16
	switch f.class {
	case elf.ELFCLASS64:
		f.ehsize, min = 64, 56
	case elf.ELFCLASS32:
		f.ehsize, min = 52, 32
	default:
		return f, fmt.Errorf("ELF header: unknown class %d", b[elf.EI_CLASS])
	}
	if len(b) < f.ehsize {
		return f, errors.New("ELF header truncated")
	}
	f.typ = elf.Type(f.bo.Uint16(b[16:]))
	f.machine = elf.Machine(f.bo.Uint16(b[18:]))
	if f.class == elf.ELFCLASS64 {
		f.phoff, f.shoff = f.bo.Uint64(b[32:]), f.bo.Uint64(b[40:])
		f.phentsize, f.phnum = f.bo.Uint16(b[54:]), f.bo.Uint16(b[56:])
		f.shentsize, f.shnum = f.bo.Uint16(b[58:]), f.bo.Uint16(b[60:])
	} else {
		f.phoff, f.shoff = uint64(f.bo.Uint32(b[28:])), uint64(f.bo.Uint32(b[32:]))
		f.phentsize, f.phnum = f.bo.Uint16(b[42:]), f.bo.Uint16(b[44:])
		f.shentsize, f.shnum = f.bo.Uint16(b[46:]), f.bo.Uint16(b[48:])
	}
	if f.phnum > 0 && (f.phentsize < min || f.phoff > MaxPrefix) {
		return f, fmt.Errorf("ELF header: bad program header table (offset %d, entry size %d)", f.phoff, f.phentsize)
	}
	return f, nil
}

func (f fields) prog(b []byte) Prog {
	bo := f.bo
	if f.class == elf.ELFCLASS64 {
		return Prog{Type: elf.ProgType(bo.Uint32(b)), Flags: elf.ProgFlag(bo.Uint32(b[4:])),
			Off: bo.Uint64(b[8:]), Vaddr: bo.Uint64(b[16:]), Filesz: bo.Uint64(b[32:])}
	}
	return Prog{Type: elf.ProgType(bo.Uint32(b)), Off: uint64(bo.Uint32(b[4:])),
		Vaddr: uint64(bo.Uint32(b[8:])), Filesz: uint64(bo.Uint32(b[16:])),
		Flags: elf.ProgFlag(bo.Uint32(b[24:]))}
}
