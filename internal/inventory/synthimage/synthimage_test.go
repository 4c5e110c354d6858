package synthimage

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/validate"
)

// The images are valid (digests, sizes and diffIDs agree with the
// streams), the same for the same seed, and hold every kind of entry the
// spec promises.
func TestPair(t *testing.T) {
	s := Spec{Files: 2000, Layers: 2, Seed: 7}
	base, head, err := s.Pair()
	if err != nil {
		t.Fatal(err)
	}
	for _, img := range []v1.Image{base, head} {
		check(t, img)
	}
	again, _, err := s.Pair()
	if err != nil {
		t.Fatal(err)
	}
	if d1, d2 := digest(t, base), digest(t, again); d1 != d2 {
		t.Errorf("same seed, digests %s and %s", d1, d2)
	}
	s.Seed++
	other, _, err := s.Pair()
	if err != nil {
		t.Fatal(err)
	}
	if digest(t, base) == digest(t, other) {
		t.Error("another seed made the same image")
	}

	ls, err := head.Layers()
	if err != nil || len(ls) != 3 {
		t.Fatalf("head has %d layers (%v), want 3", len(ls), err)
	}
	counts := map[string]int{}
	for _, l := range ls[1:] {
		count(t, l, counts)
	}
	for _, k := range []string{"whiteout", "opaque", "hardlink", "symlink", "deep", "file", "dir"} {
		if counts[k] == 0 {
			t.Errorf("no %s entry in the upper layers: %v", k, counts)
		}
	}
}

func TestPathological(t *testing.T) {
	for name, mk := range map[string]func() (v1.Image, error){
		"hardlinks": func() (v1.Image, error) { return Hardlinks(100) },
		"whiteout":  func() (v1.Image, error) { return DirWhiteout(100, false) },
		"opaque":    func() (v1.Image, error) { return DirWhiteout(100, true) },
		"deep":      func() (v1.Image, error) { return Deep(100, 100) },
	} {
		img, err := mk()
		if err != nil {
			t.Fatal(name, err)
		}
		check(t, img)
	}
}

// check validates img; validate.Layer wants gzip, so the layers are
// checked here: their streams hash to their digests and sizes.
func check(t *testing.T, img v1.Image) {
	t.Helper()
	if err := validate.Image(img, validate.Fast); err != nil {
		t.Fatal(err)
	}
	ls, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range ls {
		rc, err := l.Compressed()
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		n, err := io.Copy(h, rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		d, _ := l.Digest()
		size, _ := l.Size()
		if got := hex.EncodeToString(h.Sum(nil)); got != d.Hex || n != size {
			t.Errorf("layer %d: stream of %d bytes hashes to %s, layer says %d bytes, %s", i, n, got, size, d.Hex)
		}
	}
}

func digest(t *testing.T, img v1.Image) v1.Hash {
	t.Helper()
	d, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func count(t *testing.T, l v1.Layer, counts map[string]int) {
	t.Helper()
	rc, err := l.Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case strings.HasSuffix(h.Name, "/.wh..wh..opq"):
			counts["opaque"]++
		case strings.Contains(h.Name, "/.wh."):
			counts["whiteout"]++
		case strings.Count(h.Name, "/") > 40:
			counts["deep"]++
		case h.Typeflag == tar.TypeLink:
			counts["hardlink"]++
		case h.Typeflag == tar.TypeSymlink:
			counts["symlink"]++
		case h.Typeflag == tar.TypeDir:
			counts["dir"]++
		default:
			counts["file"]++
		}
	}
}
