package image

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// tarOf writes an uncompressed tar of name → content, in order.
func tarOf(t *testing.T, p string, entries ...string) string {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for i := 0; i+1 < len(entries); i += 2 {
		b := []byte(entries[i+1])
		if err := tw.WriteHeader(&tar.Header{Name: entries[i], Mode: 0o644, Size: int64(len(b))}); err != nil {
			t.Fatal(err)
		}
		tw.Write(b)
	}
	tw.Close()
	return writeFile(t, p, buf.Bytes())
}

// rewriteDockerSave rewrites manifest.json of a docker save archive.
func rewriteDockerSave(t *testing.T, src, dst string, edit func(m []map[string]any)) string {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var buf bytes.Buffer
	tr, tw := tar.NewReader(f), tar.NewWriter(&buf)
	for {
		hdr, err := tr.Next()
		if err != nil {
			break
		}
		var b bytes.Buffer
		b.ReadFrom(tr)
		data := b.Bytes()
		if hdr.Name == "manifest.json" {
			var m []map[string]any
			if err := json.Unmarshal(data, &m); err != nil {
				t.Fatal(err)
			}
			edit(m)
			data, _ = json.Marshal(m)
		}
		hdr.Size = int64(len(data))
		tw.WriteHeader(hdr)
		tw.Write(data)
	}
	tw.Close()
	return writeFile(t, dst, buf.Bytes())
}

func TestOpenFileErrors(t *testing.T) {
	f := makeFixtures(t)
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.tar")
	text := writeFile(t, filepath.Join(dir, "notes.txt"), []byte("just some notes\n"))
	empty := writeFile(t, filepath.Join(dir, "empty"), nil)
	inv := writeFile(t, filepath.Join(dir, "base.json"), []byte(`{"schemaVersion":1,"files":[]}`))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	raw, _ := os.ReadFile(f.dockerSave)
	zw.Write(raw)
	zw.Close()
	gzipped := writeFile(t, filepath.Join(dir, "save.tar.gz"), gz.Bytes())
	rootfs := tarOf(t, filepath.Join(dir, "rootfs.tar"), "etc/passwd", "root:x:0:0::/root:/bin/sh\n", "etc/hostname", "box\n")
	plainDir := filepath.Join(dir, "plain")
	os.Mkdir(plainDir, 0o755)
	unpacked := filepath.Join(dir, "unpacked")
	os.Mkdir(unpacked, 0o755)
	writeFile(t, filepath.Join(unpacked, "manifest.json"), []byte("[]"))
	badJSON := tarOf(t, filepath.Join(dir, "badjson.tar"), "manifest.json", "[{not json")
	noLayer := rewriteDockerSave(t, f.dockerSave, filepath.Join(dir, "nolayer.tar"), func(m []map[string]any) {
		m[0]["Layers"] = []string{"gone/layer.tar", "gone2/layer.tar"}
	})
	fewLayers := rewriteDockerSave(t, f.dockerSave, filepath.Join(dir, "few.tar"), func(m []map[string]any) {
		m[0]["Layers"] = m[0]["Layers"].([]any)[:1]
	})
	noImages := tarOf(t, filepath.Join(dir, "none.tar"), "manifest.json", "[]")

	tests := []struct {
		name, ref string
		kind      error
		parts     []string
	}{
		{"missing archive", "docker-archive:" + missing, ErrNotFound, []string{"docker-archive:" + missing, "no such file"}},
		{"missing bare", missing, ErrNotFound, []string{missing, "no such file"}},
		{"missing layout", "oci:" + filepath.Join(dir, "nolayout"), ErrNotFound, []string{"no such file"}},
		{"missing oci archive", "oci-archive:" + missing, ErrNotFound, []string{"no such file"}},
		{"text file", text, ErrNotImage, []string{text, "not a tar archive (text)"}},
		{"empty file", "docker-archive:" + empty, ErrNotImage, []string{"empty file"}},
		{"inventory json", inv, ErrNotImage, []string{"JSON file", "inventory:" + inv}},
		{"gzip archive", gzipped, ErrNotImage, []string{"gzip-compressed", "decompress it first"}},
		{"rootfs tar", rootfs, ErrNotImage, []string{"without manifest.json or index.json", "etc/passwd, etc/hostname"}},
		{"rootfs as docker-archive", "docker-archive:" + rootfs, ErrNotImage, []string{"no manifest.json", "etc/passwd"}},
		{"directory as archive", "docker-archive:" + f.ociDir, ErrNotImage, []string{"a directory", "oci:" + f.ociDir}},
		{"file as layout", "oci:" + f.dockerSave, ErrNotImage, []string{"not an OCI layout directory"}},
		{"plain directory", plainDir, ErrNotImage, []string{"not an OCI layout"}},
		{"plain directory as oci", "oci:" + plainDir, ErrNotImage, []string{"without index.json"}},
		{"unpacked docker save", unpacked, ErrNotImage, []string{"unpacked docker save", "pass the tar"}},
		{"oci archive as docker", "docker-archive:" + f.ociArchive, ErrNotImage, []string{"use oci-archive:" + f.ociArchive}},
		{"docker archive as oci", "oci-archive:" + f.dockerSave, ErrNotImage, []string{"use docker-archive:" + f.dockerSave}},
		{"bad manifest.json", badJSON, ErrNotImage, []string{"manifest.json is not a docker save manifest"}},
		{"missing layer file", noLayer, ErrNotImage, []string{"layer 0 (gone/layer.tar)", "does not exist"}},
		{"layer count", fewLayers, ErrNotImage, []string{"lists 1 layers but the config has 2 diff_ids"}},
		{"no images", noImages, ErrNotImage, []string{"lists no image"}},
		{"bad selector", "docker-archive:" + f.dockerSave + ":Not A Tag", ErrBadRef, []string{"neither NAME:TAG nor @N"}},
		{"unknown transport", "oci-archiv:" + f.ociArchive, ErrUnknownTransport, []string{`unknown transport "oci-archiv"`, "docker-archive, oci-archive, oci, daemon, registry, inventory"}},
		{"other tool's transport", "containers-storage:app", ErrUnknownTransport, []string{"containers-storage"}},
		{"empty", "", ErrBadRef, []string{`"": empty image reference`}},
		{"no path", "oci-archive:", ErrBadRef, []string{"missing path"}},
		{"bad registry ref", "registry:Bad/Name", ErrBadRef, []string{"registry:Bad/Name", "valid registry reference"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			img, err := Open(context.Background(), tc.ref, Options{})
			if err == nil {
				img.Close()
			}
			assertKind(t, err, tc.kind, tc.parts...)
		})
	}
}

// Corrupt layouts: a manifest blob that does not hash to its digest, an
// artifact instead of an image, an index entry of an unknown media type.
func TestOpenLayoutErrors(t *testing.T) {
	img := testImage(t, 3, "amd64")
	dir := t.TempDir()

	corrupt := writeLayout(t, filepath.Join(dir, "corrupt"), img, "", nil)
	d, _ := img.Digest()
	blob := filepath.Join(corrupt, "blobs", "sha256", d.Hex)
	b, _ := os.ReadFile(blob)
	os.Chmod(blob, 0o644)
	writeFile(t, blob, bytes.Replace(b, []byte(`"schemaVersion":2`), []byte(`"schemaVersion": 2`), 1))

	artifact := mutate.ConfigMediaType(img, "application/vnd.example.config+json")
	art := writeLayout(t, filepath.Join(dir, "artifact"), artifact, "", nil)

	odd := writeLayout(t, filepath.Join(dir, "odd"), img, "", nil)
	idx, _ := os.ReadFile(filepath.Join(odd, "index.json"))
	idx = bytes.Replace(idx, []byte(types.DockerManifestSchema2), []byte("application/vnd.example.thing"), 1)
	writeFile(t, filepath.Join(odd, "index.json"), idx)

	tests := []struct {
		ref   string
		parts []string
	}{
		{"oci:" + corrupt, []string{"manifest sha256:", "has digest"}},
		{"oci:" + art, []string{"artifact", "application/vnd.example.config+json"}},
		{"oci:" + odd, []string{"application/vnd.example.thing, not an image manifest"}},
	}
	for _, tc := range tests {
		_, err := Open(context.Background(), tc.ref, Options{})
		assertKind(t, err, ErrNotImage, append(tc.parts, tc.ref)...)
	}
}

func TestMessagesAreOneLine(t *testing.T) {
	e := fail("daemon:x\nfake", ErrNoDaemon, "line one\r\nline two\n\n", nil)
	if got, want := e.Error(), `"daemon:x\nfake": line one; line two`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	long := fail("r", ErrNotImage, strings.Repeat("é", 1000), nil)
	if n := len(long.Msg); n > 610 || !strings.HasSuffix(long.Msg, "…") {
		t.Errorf("long message not capped: %d bytes", n)
	}
}
