package cargo

import (
	"debug/elf"
	"encoding/binary"
	"fmt"
	"testing"
)

// tinyELF builds a minimal ELF64 executable: the headers in one loaded
// segment, then sec as a non-allocated .dep-v0 section, .shstrtab and
// the section header table, as a linker lays them out.
func tinyELF(sec []byte) []byte {
	le := binary.LittleEndian
	const phoff, ehsize, phentsize, shentsize = 64, 64, 56, 64
	loaded := phoff + phentsize
	shstr := []byte("\x00.dep-v0\x00.shstrtab\x00")
	secOff := loaded
	strOff := secOff + len(sec)
	shoff := (strOff + len(shstr) + 7) &^ 7
	f := make([]byte, shoff+3*shentsize)
	copy(f, "\x7fELF")
	f[elf.EI_CLASS], f[elf.EI_DATA], f[elf.EI_VERSION] = byte(elf.ELFCLASS64), byte(elf.ELFDATA2LSB), 1
	le.PutUint16(f[16:], uint16(elf.ET_EXEC))
	le.PutUint16(f[18:], uint16(elf.EM_X86_64))
	le.PutUint32(f[20:], 1)
	le.PutUint64(f[32:], phoff)
	le.PutUint64(f[40:], uint64(shoff))
	le.PutUint16(f[52:], ehsize)
	le.PutUint16(f[54:], phentsize)
	le.PutUint16(f[56:], 1)
	le.PutUint16(f[58:], shentsize)
	le.PutUint16(f[60:], 3)
	le.PutUint16(f[62:], 2)
	p := f[phoff:]
	le.PutUint32(p, uint32(elf.PT_LOAD))
	le.PutUint32(p[4:], uint32(elf.PF_R|elf.PF_X))
	le.PutUint64(p[16:], 0x400000)
	le.PutUint64(p[32:], uint64(loaded))
	le.PutUint64(p[40:], uint64(loaded))
	copy(f[secOff:], sec)
	copy(f[strOff:], shstr)
	sh := func(i int, name uint32, typ elf.SectionType, off, size int) {
		s := f[shoff+i*shentsize:]
		le.PutUint32(s, name)
		le.PutUint32(s[4:], uint32(typ))
		le.PutUint64(s[24:], uint64(off))
		le.PutUint64(s[32:], uint64(size))
		le.PutUint64(s[48:], 1)
	}
	sh(1, 1, elf.SHT_PROGBITS, secOff, len(sec))
	sh(2, 9, elf.SHT_STRTAB, strOff, len(shstr))
	return f
}

func FuzzDecodeAudit(f *testing.F) {
	f.Add(zlibOf(f, []byte(`{"packages":[{"name":"a","version":"1.0.0","source":"crates.io"},{"name":"r","version":"0.1.0","source":"local","dependencies":[0],"root":true}]}`)))
	f.Add(zlibOf(f, []byte(`{"packages":[{"name":"cc","version":"1.0.0","source":{"Other":"x"},"kind":"build"}],"format":8}`)))
	f.Add([]byte("x\x9c\x03\x00\x00\x00\x00\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := decodeAudit(data)
		if err != nil {
			return
		}
		for _, c := range a.Crates {
			if c.Name == "" || c.Version == "" {
				t.Fatalf("crate without a name or version: %+v", c)
			}
		}
	})
}

// FuzzExtractor checks that the extractor never panics and that its
// result does not depend on the Write boundaries.
func FuzzExtractor(f *testing.F) {
	good := zlibOf(f, []byte(`{"packages":[{"name":"r","version":"0.1.0","source":"local","root":true}]}`))
	f.Add(tinyELF(good), uint8(1))
	f.Add(tinyELF(good[:5]), uint8(7))
	f.Add(tinyELF([]byte("not zlib")), uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		whole := describe(stream(data, len(data)+1))
		if got := describe(stream(data, int(chunk%32)+1)); got != whole {
			t.Fatalf("chunks of %d: %s\nwhole: %s", chunk%32+1, got, whole)
		}
	})
}

func describe(v any, err error) string {
	if a, ok := v.(*Audit); ok {
		return fmt.Sprintf("%+v %v", *a, err)
	}
	return fmt.Sprintf("%v %v", v, err)
}

// TestTinyELF checks the fuzz seed itself against debug/elf and the
// extractor, so that the fuzzer starts from a valid executable.
func TestTinyELF(t *testing.T) {
	data := tinyELF(zlibOf(t, []byte(`{"packages":[{"name":"r","version":"0.1.0","source":"local","root":true}]}`)))
	res, err := stream(data, 5)
	a, ok := res.(*Audit)
	if err != nil || !ok || len(a.Crates) != 1 || a.Root != "r" {
		t.Fatalf("got %v, %v", res, err)
	}
}
