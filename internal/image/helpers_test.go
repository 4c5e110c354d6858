package image

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// testImage is a random two-layer image with a recognisable config.
func testImage(t testing.TB, seed int64, arch string) v1.Image {
	t.Helper()
	img, err := random.Image(2048, 2, random.WithSource(rand.NewSource(seed)))
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", arch
	cf.Config.User = "app"
	cf.Config.Env = []string{"PATH=/usr/bin", "SEED=" + arch}
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// writeDockerArchive writes img as `tarball.Write` does (gzip layers).
func writeDockerArchive(t testing.TB, dir string, imgs map[string]v1.Image) string {
	t.Helper()
	refs := map[name.Reference]v1.Image{}
	for tag, img := range imgs {
		ref, err := name.NewTag(tag)
		if err != nil {
			t.Fatal(err)
		}
		refs[ref] = img
	}
	p := filepath.Join(dir, "docker.tar")
	if err := tarball.MultiRefWriteToFile(p, refs); err != nil {
		t.Fatal(err)
	}
	return p
}

// writeDockerSave writes images the way `docker save` of Docker before 25
// does: uncompressed "<id>/layer.tar" files, "<id>.json" configs and a
// manifest.json listing them. A nil tag writes an untagged image.
func writeDockerSave(t testing.TB, p string, tags [][]string, imgs []v1.Image) {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	add := func(name string, b []byte) {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(b)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	var m tarball.Manifest
	for i, img := range imgs {
		cfgName, err := img.ConfigName()
		if err != nil {
			t.Fatal(err)
		}
		rawCfg, err := img.RawConfigFile()
		if err != nil {
			t.Fatal(err)
		}
		d := tarball.Descriptor{Config: cfgName.Hex + ".json", RepoTags: tags[i]}
		add(d.Config, rawCfg)
		layers, err := img.Layers()
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range layers {
			diffID, err := l.DiffID()
			if err != nil {
				t.Fatal(err)
			}
			rc, err := l.Uncompressed()
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			name := diffID.Hex + "/layer.tar"
			add(name, b)
			d.Layers = append(d.Layers, name)
		}
		m = append(m, d)
	}
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	add("manifest.json", raw)
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeLayout writes an OCI layout holding img under a ref.name.
func writeLayout(t testing.TB, dir string, img v1.Image, refName string, manifestAnnotations map[string]string) string {
	t.Helper()
	if manifestAnnotations != nil {
		img = mutate.Annotations(img, manifestAnnotations).(v1.Image)
	}
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	var opts []layout.Option
	if refName != "" {
		opts = append(opts, layout.WithAnnotations(map[string]string{annotRefName: refName}))
	}
	if err := p.AppendImage(img, opts...); err != nil {
		t.Fatal(err)
	}
	return dir
}

// multiPlatform builds an index of one image per "os/arch[/variant]".
func multiPlatform(t testing.TB, platforms ...string) (v1.ImageIndex, map[string]v1.Image) {
	t.Helper()
	idx := mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
	imgs := map[string]v1.Image{}
	for i, ps := range platforms {
		p, err := v1.ParsePlatform(ps)
		if err != nil {
			t.Fatal(err)
		}
		img := testImage(t, int64(100+i), p.Architecture)
		imgs[ps] = img
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{
			Add:        img,
			Descriptor: v1.Descriptor{Platform: p, Annotations: map[string]string{"entry": ps}},
		})
	}
	return idx, imgs
}

// tarDir packs a directory into an uncompressed tar, entries sorted, the
// way `skopeo copy oci-archive:` writes a layout.
func tarDir(t testing.TB, dir, out string) string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tw := tar.NewWriter(f)
	for _, p := range names {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		hdr, err := tar.FileInfoHeader(st, "")
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, p)
		hdr.Name = filepath.ToSlash(rel)
		if st.IsDir() {
			hdr.Name += "/"
		}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if st.Mode().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tw.Write(b); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}

// assertSameImage checks that got has want's config and layer diff_ids,
// and that every layer of got reads back to content with that diff_id.
func assertSameImage(t testing.TB, want, got v1.Image) {
	t.Helper()
	wc, err := want.RawConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	gc, err := got.RawConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(wc, gc) {
		t.Fatalf("config differs:\nwant %s\ngot  %s", wc, gc)
	}
	wl, err := want.Layers()
	if err != nil {
		t.Fatal(err)
	}
	gl, err := got.Layers()
	if err != nil {
		t.Fatal(err)
	}
	if len(wl) != len(gl) {
		t.Fatalf("want %d layers, got %d", len(wl), len(gl))
	}
	for i := range wl {
		wd, _ := wl[i].DiffID()
		gd, err := gl[i].DiffID()
		if err != nil || wd != gd {
			t.Fatalf("layer %d diff_id: want %s, got %s (%v)", i, wd, gd, err)
		}
		rc, err := gl[i].Uncompressed()
		if err != nil {
			t.Fatalf("layer %d: %v", i, err)
		}
		h, _, err := v1.SHA256(rc)
		rc.Close()
		if err != nil || h != wd {
			t.Fatalf("layer %d content hashes to %s, want %s (%v)", i, h, wd, err)
		}
	}
}

// assertKind checks an Open error's kind and that its one-line message
// holds every part.
func assertKind(t testing.TB, err error, kind error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want a %v error, got none", kind)
	}
	if !errors.Is(err, kind) {
		t.Fatalf("want kind %v, got %v", kind, err)
	}
	var ie *Error
	if !errors.As(err, &ie) {
		t.Fatalf("want *Error, got %T", err)
	}
	msg := err.Error()
	if strings.ContainsAny(msg, "\n\r") {
		t.Errorf("message spans lines: %q", msg)
	}
	for _, p := range parts {
		if !strings.Contains(msg, p) {
			t.Errorf("message %q lacks %q", msg, p)
		}
	}
}
