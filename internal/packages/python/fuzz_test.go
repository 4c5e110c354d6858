package python

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// FuzzHeaders checks that the streaming header parser never panics and
// gives the same answer whatever the chunking of the input.
func FuzzHeaders(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/root/usr/lib/python3/dist-packages/*/*")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b, uint8(3))
		}
	}
	f.Add([]byte("Name: a\n b\nVersion: 1\r\n\r\n"), uint8(1))
	f.Add([]byte("\xef\xbb\xbfName: a\nVersion: 1"), uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		whole := run(data, len(data)+1)
		parts := run(data, int(chunk)+1)
		if whole != parts {
			t.Fatalf("whole %+v, chunked by %d %+v", whole, int(chunk)+1, parts)
		}
		pkgs, warns := New().Catalog([]packages.File{{Path: "/a.egg-info", Data: &whole}})
		if len(pkgs)+len(warns) != 1 {
			t.Fatalf("want one package or one warning, got %v %v", pkgs, warns)
		}
		if len(pkgs) == 1 && (pkgs[0].Name == "" || pkgs[0].Version == "") {
			t.Fatalf("empty field in %+v", pkgs[0])
		}
	})
}

func run(data []byte, chunk int) metadata {
	x := New().Match("/a.egg-info", int64(len(data)), 0o644)
	for len(data) > 0 {
		n := min(chunk, len(data))
		x.Write(data[:n])
		data = data[n:]
	}
	v, _ := x.Result()
	return *v.(*metadata)
}
