package golang

import (
	"debug/elf"
	"encoding/binary"
	"os/exec"
	"testing"
)

// makeBlob encodes a Go ≥ 1.18 build info blob as the linker writes it:
// the header, then the version and the framed module info as
// varint-prefixed strings.
func makeBlob(vers, mod string) []byte {
	b := make([]byte, blobHeaderSize, blobHeaderSize+len(vers)+len(mod)+64)
	copy(b, magic)
	b[14], b[flagsOffset] = 8, flagsVersionInl
	b = binary.AppendUvarint(b, uint64(len(vers)))
	b = append(b, vers...)
	framed := "0123456789abcdef" + mod + "fedcba9876543210"
	if mod == "" {
		framed = ""
	}
	b = binary.AppendUvarint(b, uint64(len(framed)))
	return append(b, framed...)
}

// synthELF builds a small little-endian ELF64 executable with a text
// segment holding text and a writable data segment whose vaddr is
// phase bytes past a 16-byte boundary, holding blob at offset at (at < 0:
// no blob).
func synthELF(t testing.TB, phase uint64, at int, blob, text []byte) []byte {
	const textOff, dataOff, dataSize = 0x100, 0x200, 0x200
	f := make([]byte, dataOff+dataSize)
	le := binary.LittleEndian
	copy(f, "\x7fELF")
	f[elf.EI_CLASS], f[elf.EI_DATA], f[elf.EI_VERSION] = byte(elf.ELFCLASS64), byte(elf.ELFDATA2LSB), 1
	le.PutUint16(f[16:], uint16(elf.ET_EXEC))
	le.PutUint16(f[18:], uint16(elf.EM_X86_64))
	le.PutUint64(f[32:], 64) // phoff
	le.PutUint16(f[52:], 64) // ehsize
	le.PutUint16(f[54:], 56) // phentsize
	le.PutUint16(f[56:], 2)  // phnum
	prog := func(i int, flags elf.ProgFlag, off, vaddr, size uint64) {
		p := f[64+56*i:]
		le.PutUint32(p, uint32(elf.PT_LOAD))
		le.PutUint32(p[4:], uint32(flags))
		le.PutUint64(p[8:], off)
		le.PutUint64(p[16:], vaddr)
		le.PutUint64(p[32:], size)
		le.PutUint64(p[40:], size)
	}
	prog(0, elf.PF_R|elf.PF_X, textOff, 0x401000, dataOff-textOff)
	prog(1, elf.PF_R|elf.PF_W, dataOff, 0x802000+phase, dataSize)
	copy(f[textOff:], text)
	if at >= 0 {
		copy(f[dataOff+at:], blob)
	}
	return f
}

func lookPath(name string) string {
	p, err := exec.LookPath(name)
	if err != nil {
		return ""
	}
	return p
}

func mustLookPath(t *testing.T, name string) string {
	p := lookPath(name)
	if p == "" {
		t.Skipf("%s not found", name)
	}
	return p
}
