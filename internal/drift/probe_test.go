package drift

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

type entry struct {
	name, body string
	mtime      int64
}

func tarOf(t testing.TB, entries ...entry) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Mode: 0o644, Size: int64(len(e.body)), ModTime: time.Unix(e.mtime, 0), Typeflag: tar.TypeReg}
		if strings.HasSuffix(e.name, "/") {
			h.Typeflag, h.Size = tar.TypeDir, 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(e.body))
	}
	tw.Close()
	return buf.Bytes()
}

func imageOf(t testing.TB, layers ...[]byte) v1.Image {
	img := empty.Image
	for _, l := range layers {
		layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(l)), nil })
		if err != nil {
			t.Fatal(err)
		}
		if img, err = mutate.AppendLayers(img, layer); err != nil {
			t.Fatal(err)
		}
	}
	return img
}

// TestReadProbe reads the squashed file system: the upper layer's time
// wins, a whited-out file is gone, and only the files asked for (and
// small enough) are sampled.
func TestReadProbe(t *testing.T) {
	img := imageOf(t,
		tarOf(t, entry{"etc/", "", 10}, entry{"etc/build-date", "old\n", 10}, entry{"etc/gone", "x", 10}, entry{"big", strings.Repeat("b", MaxSample+1), 10}),
		tarOf(t, entry{"etc/build-date", "new\n", 20}, entry{"etc/.wh.gone", "", 20}))
	p, err := ReadProbe(context.Background(), img, func(p string) bool { return p != "/etc" })
	if err != nil {
		t.Fatal(err)
	}
	if got := p.MTimes["/etc/build-date"]; got != 20e9 {
		t.Errorf("time of /etc/build-date %d, want the upper layer's", got)
	}
	if _, ok := p.MTimes["/etc/gone"]; ok {
		t.Error("a whited-out file is in the probe")
	}
	if string(p.Samples["/etc/build-date"]) != "new\n" || len(p.Samples) != 1 {
		t.Errorf("samples %q: want /etc/build-date only (big is too big)", p.Samples)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ReadProbe(ctx, img, nil); err == nil {
		t.Error("a cancelled probe read on")
	}
}

// Layers are untrusted: whatever they hold, the probe returns an error or
// a result, never panics, and keeps no sample over its bound.
func FuzzReadProbe(f *testing.F) {
	f.Add(tarOf(f, entry{"a", "hello", 1}, entry{"d/", "", 2}))
	f.Add([]byte("not a tar"))
	f.Add(tarOf(f, entry{"../../etc/passwd", "x", 1}, entry{"/abs", "y", -1}))
	f.Fuzz(func(t *testing.T, layer []byte) {
		p, err := ReadProbe(context.Background(), imageOf(t, layer), func(string) bool { return true })
		if err != nil {
			return
		}
		for name, s := range p.Samples {
			if len(s) > MaxSample || !strings.HasPrefix(name, "/") {
				t.Fatalf("sample %q of %d bytes", name, len(s))
			}
		}
	})
}
