package inventory

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"strconv"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// tf is one entry of a synthesised layer.
type tf struct {
	name     string
	typ      byte
	body     string
	mode     int64
	link     string
	uid, gid int
}

func reg(name, body string) tf { return tf{name: name, typ: tar.TypeReg, body: body, mode: 0o644} }
func dir(name string) tf       { return tf{name: name, typ: tar.TypeDir, mode: 0o755} }
func sym(name, target string) tf {
	return tf{name: name, typ: tar.TypeSymlink, link: target, mode: 0o777}
}
func hard(name, target string) tf {
	return tf{name: name, typ: tar.TypeLink, link: target, mode: 0o644}
}
func whiteout(name string) tf { return reg(name, "") }

var epoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// tarBytes writes entries as a tar stream.
func tarBytes(t testing.TB, files ...tf) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		h := &tar.Header{Name: f.name, Typeflag: f.typ, Mode: f.mode, Linkname: f.link,
			Uid: f.uid, Gid: f.gid, ModTime: epoch, Format: tar.FormatPAX}
		if f.typ == tar.TypeReg {
			h.Size = int64(len(f.body))
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(tw, f.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gz(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// layerOf makes a gzip layer of the entries.
func layerOf(t testing.TB, files ...tf) v1.Layer {
	t.Helper()
	data := gz(t, tarBytes(t, files...))
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// imageOf stacks layers on an empty image with a fixed config.
func imageOf(t testing.TB, layers ...v1.Layer) v1.Image {
	t.Helper()
	img, err := mutate.AppendLayers(empty.Image, layers...)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", "amd64"
	cf.Created = v1.Time{Time: epoch}
	cf.Config.Env = []string{"PATH=/usr/bin:/bin"}
	cf.Config.Cmd = []string{"/bin/sh"}
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func inventoryOf(t testing.TB, img v1.Image, opts Options) (*Inventory, error) {
	t.Helper()
	return NewIndexer(opts).Inventory(context.Background(), Source{Ref: "test", Image: img})
}

// fileMap indexes an inventory's files by path.
func fileMap(inv *Inventory) map[string]File {
	m := make(map[string]File, len(inv.Files))
	for _, f := range inv.Files {
		m[f.Path] = f
	}
	return m
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func tarballLayer(stored []byte) (v1.Layer, error) {
	return tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(stored)), nil
	})
}
