package golang

import (
	"fmt"
	"runtime/debug"
	"testing"
)

func FuzzParseBlob(f *testing.F) {
	info := &debug.BuildInfo{Path: "example.com/x", Main: debug.Module{Path: "example.com/x", Version: "v1.0.0"},
		Deps: []*debug.Module{{Path: "golang.org/x/mod", Version: "v0.43.0", Sum: "h1:abc="}}}
	f.Add(makeBlob("go1.22.1", info.String()))
	f.Add(makeBlob("go1.26.8", ""))
	f.Add([]byte(magic + "\x08\x00"))
	f.Add([]byte(magic + "\x08\x02" + "0123456789abcdef\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		vers, mod, need, err := parseBlob(b)
		switch {
		case err != nil:
			if need != 0 || vers != "" || mod != "" {
				t.Fatalf("error %v with results %q %q %d", err, vers, mod, need)
			}
		case need > 0:
			if need <= len(b) || need > maxBlob {
				t.Fatalf("need %d with %d bytes", need, len(b))
			}
		case vers == "":
			t.Fatal("no error and no version")
		}
	})
}

// FuzzScanner checks that the scanner never panics and that its result
// does not depend on where the Write boundaries fall.
func FuzzScanner(f *testing.F) {
	info := &debug.BuildInfo{Path: "example.com/x", Main: debug.Module{Path: "example.com/x", Version: "v1.0.0"}}
	blob := makeBlob("go1.22.1", info.String())
	f.Add(synthELF(f, 0, 0x100, blob, nil), uint16(7))
	f.Add(synthELF(f, 4, 0x10c, blob, []byte(magic)), uint16(13))
	f.Add(synthELF(f, 0, 0x100, blob[:40], nil), uint16(1))
	f.Add(synthELF(f, 0, 0x1f0, blob, nil), uint16(3))
	f.Add([]byte("\x7fELF\x01\x02\x01"), uint16(1))
	f.Fuzz(func(t *testing.T, data []byte, chunk uint16) {
		whole := describe(stream(data, len(data)+1))
		if got := describe(stream(data, int(chunk%64)+1)); got != whole {
			t.Fatalf("chunks of %d: %s\nwhole: %s", chunk%64+1, got, whole)
		}
	})
}

func describe(v any, err error) string {
	if b, ok := v.(*Binary); ok {
		return fmt.Sprintf("%s %s %v", b.GoVersion, b.Info, err)
	}
	return fmt.Sprintf("%v %v", v, err)
}
