package image

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/google/go-containerregistry/pkg/v1/validate"
)

const baseName = "org.opencontainers.image.base.name"

// fixtures lays out one image in every file form Open reads.
type fixtures struct {
	img                                           v1.Image
	dockerArchive, dockerSave, ociDir, ociArchive string
}

func makeFixtures(t *testing.T) fixtures {
	t.Helper()
	dir := t.TempDir()
	img := testImage(t, 1, "amd64")
	f := fixtures{img: img}
	f.dockerArchive = writeDockerArchive(t, dir, map[string]v1.Image{"example.com/app:1.0": img})
	f.dockerSave = filepath.Join(dir, "save.tar")
	writeDockerSave(t, f.dockerSave, [][]string{{"app:1.0"}}, []v1.Image{img})
	f.ociDir = writeLayout(t, filepath.Join(dir, "layout"), img, "v1", map[string]string{baseName: "debian:12"})
	f.ociArchive = tarDir(t, f.ociDir, filepath.Join(dir, "oci.tar"))
	return f
}

func TestOpenTransports(t *testing.T) {
	f := makeFixtures(t)
	tests := []struct {
		ref      string
		wantBase string // expected org.opencontainers.image.base.name
	}{
		{ref: "docker-archive:" + f.dockerArchive},
		{ref: "docker-archive:" + f.dockerArchive + ":example.com/app:1.0"},
		{ref: "docker-archive:" + f.dockerArchive + ":@0"},
		{ref: f.dockerArchive},
		{ref: "docker-archive:" + f.dockerSave},
		{ref: f.dockerSave},
		{ref: "oci:" + f.ociDir, wantBase: "debian:12"},
		{ref: "oci:" + f.ociDir + ":v1", wantBase: "debian:12"},
		{ref: "oci:" + f.ociDir + ":@0", wantBase: "debian:12"},
		{ref: f.ociDir, wantBase: "debian:12"},
		{ref: "oci-archive:" + f.ociArchive, wantBase: "debian:12"},
		{ref: "oci-archive:" + f.ociArchive + ":v1", wantBase: "debian:12"},
		{ref: f.ociArchive, wantBase: "debian:12"},
	}
	for _, tc := range tests {
		t.Run(tc.ref, func(t *testing.T) {
			got, err := Open(context.Background(), tc.ref, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer got.Close()
			if got.Ref != tc.ref {
				t.Errorf("Ref = %q", got.Ref)
			}
			if b := got.Annotations[baseName]; b != tc.wantBase {
				t.Errorf("base.name annotation = %q, want %q", b, tc.wantBase)
			}
			assertSameImage(t, f.img, got.Image)
			// validate reads layers as gzip; docker save's are plain tars,
			// whose contents assertSameImage has checked already.
			var opts []validate.Option
			if tc.ref == f.dockerSave || tc.ref == "docker-archive:"+f.dockerSave {
				opts = append(opts, validate.Fast)
			}
			if err := validate.Image(got.Image, opts...); err != nil {
				t.Errorf("validate: %v", err)
			}
			if err := got.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
			if err := got.Close(); err != nil {
				t.Errorf("second Close: %v", err)
			}
		})
	}
}

// A docker save archive's layers are uncompressed tars: their digest is
// the diff_id and reading the image's layers must not hash anything.
func TestDockerSaveLayersAsStored(t *testing.T) {
	f := makeFixtures(t)
	got, err := Open(context.Background(), f.dockerSave, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	layers, err := got.Image.Layers()
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range layers {
		d, _ := l.Digest()
		id, _ := l.DiffID()
		mt, _ := l.MediaType()
		if d != id || mt != types.DockerUncompressedLayer {
			t.Errorf("layer %d: digest %s diff_id %s media type %s", i, d, id, mt)
		}
	}
}

func TestOpenMultiImageArchive(t *testing.T) {
	dir := t.TempDir()
	a, b := testImage(t, 1, "amd64"), testImage(t, 2, "amd64")
	p := filepath.Join(dir, "multi.tar")
	writeDockerSave(t, p, [][]string{{"app:1.0", "app:latest"}, nil, {"tool:2"}}, []v1.Image{a, b, a})
	ctx := context.Background()

	for ref, want := range map[string]v1.Image{
		"docker-archive:" + p + ":app:latest":                     a,
		"docker-archive:" + p + ":index.docker.io/library/tool:2": a,
		"docker-archive:" + p + ":@1":                             b,
	} {
		got, err := Open(ctx, ref, Options{})
		if err != nil {
			t.Fatalf("%s: %v", ref, err)
		}
		assertSameImage(t, want, got.Image)
		got.Close()
	}
	_, err := Open(ctx, p, Options{})
	assertKind(t, err, ErrAmbiguous, p, "3 images", "@0 app:1.0 app:latest", "@1 untagged", "@2 tool:2")
	_, err = Open(ctx, "docker-archive:"+p+":app:2.0", Options{})
	assertKind(t, err, ErrNotFound, "tag app:2.0 is not in the archive", "app:latest")
	_, err = Open(ctx, "docker-archive:"+p+":@3", Options{})
	assertKind(t, err, ErrNotFound, "no image @3", "holds 3")
}

func TestOpenMultiPlatformLayout(t *testing.T) {
	dir := t.TempDir()
	idx, imgs := multiPlatform(t, "linux/amd64", "linux/arm64/v8", "linux/arm/v7")
	p, err := layout.Write(filepath.Join(dir, "layout"), empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AppendIndex(idx, layout.WithAnnotations(map[string]string{annotRefName: "multi"})); err != nil {
		t.Fatal(err)
	}
	archive := tarDir(t, string(p), filepath.Join(dir, "multi.tar"))
	for _, ref := range []string{"oci:" + string(p), "oci-archive:" + archive} {
		for _, plat := range []string{"linux/amd64", "linux/arm64", "linux/arm64/v8", "linux/arm"} {
			got, err := Open(context.Background(), ref, Options{Platform: plat})
			if err != nil {
				t.Fatalf("%s %s: %v", ref, plat, err)
			}
			want := map[string]string{"linux/arm64": "linux/arm64/v8", "linux/arm": "linux/arm/v7"}[plat]
			if want == "" {
				want = plat
			}
			assertSameImage(t, imgs[want], got.Image)
			if got.Annotations["entry"] != want || got.Annotations[annotRefName] != "multi" {
				t.Errorf("%s %s: annotations %v", ref, plat, got.Annotations)
			}
			got.Close()
		}
		_, err := Open(context.Background(), ref, Options{Platform: "linux/s390x"})
		assertKind(t, err, ErrPlatform, ref, "linux/s390x", "linux/amd64, linux/arm64/v8, linux/arm/v7")
		_, err = Open(context.Background(), ref, Options{Platform: "linux"})
		assertKind(t, err, ErrPlatform, "invalid platform")
	}
}

// A layout whose index.json lists several images with platforms (as
// `docker save --platform` writes) picks by platform; without platforms
// it asks for a name.
func TestLayoutEntries(t *testing.T) {
	dir := t.TempDir()
	a, b := testImage(t, 1, "amd64"), testImage(t, 2, "arm64")
	p, err := layout.Write(filepath.Join(dir, "plat"), empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []struct {
		img  v1.Image
		arch string
	}{{a, "amd64"}, {b, "arm64"}} {
		if err := p.AppendImage(e.img, layout.WithPlatform(v1.Platform{OS: "linux", Architecture: e.arch})); err != nil {
			t.Fatal(err)
		}
	}
	got, err := Open(context.Background(), string(p), Options{Platform: "linux/arm64"})
	if err != nil {
		t.Fatal(err)
	}
	assertSameImage(t, b, got.Image)

	named := writeLayout(t, filepath.Join(dir, "named"), a, "one", nil)
	lp := layout.Path(named)
	if err := lp.AppendImage(b, layout.WithAnnotations(map[string]string{annotContainerName: "docker.io/library/two:latest"})); err != nil {
		t.Fatal(err)
	}
	_, err = Open(context.Background(), "oci:"+named, Options{})
	assertKind(t, err, ErrAmbiguous, "2 entries", "@0 one", "@1 docker.io/library/two:latest")
	got, err = Open(context.Background(), "oci:"+named+":two", Options{})
	if err != nil {
		t.Fatal(err)
	}
	assertSameImage(t, b, got.Image)
	_, err = Open(context.Background(), "oci:"+named+":three", Options{})
	assertKind(t, err, ErrNotFound, `no image named "three"`, "@0 one")
}

func TestOpenInventoryRefused(t *testing.T) {
	p, ok := IsInventory("inventory:/tmp/base.json")
	if !ok || p != "/tmp/base.json" {
		t.Fatalf("IsInventory = %q, %v", p, ok)
	}
	if _, ok := IsInventory("/tmp/base.json"); ok {
		t.Fatal("a bare path is not an inventory reference")
	}
	_, err := Open(context.Background(), "inventory:/tmp/base.json", Options{})
	assertKind(t, err, ErrInventory, "inventory:/tmp/base.json", "an inventory, not an image")
}

func writeFile(t *testing.T, p string, b []byte) string {
	t.Helper()
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
