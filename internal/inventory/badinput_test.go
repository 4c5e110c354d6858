package inventory

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// alteredLayer serves other bytes than the ones its digests describe.
type alteredLayer struct {
	v1.Layer
	data []byte
}

func (a alteredLayer) Compressed() (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(a.data)), nil
}

func (a alteredLayer) Uncompressed() (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(a.data)), nil
}

// imageWithStored returns a one-layer image whose layer claims the digests
// of good but serves data.
func imageWithStored(t *testing.T, good []byte, data []byte) v1.Image {
	t.Helper()
	gl := rawGzLayer(t, good)
	return imageOf(t, alteredLayer{Layer: gl, data: data})
}

func rawGzLayer(t *testing.T, tarData []byte) v1.Layer {
	t.Helper()
	return layerFromBytes(t, gz(t, tarData))
}

func layerFromBytes(t *testing.T, stored []byte) v1.Layer {
	t.Helper()
	l, err := tarballLayer(stored)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestBadInput(t *testing.T) {
	good := tarBytes(t, dir("etc/"), reg("etc/passwd", strings.Repeat("root:x:0:0::/root:/bin/sh\n", 400)), reg("bin/sh", "ELF"))
	goodGz := gz(t, good)
	cases := []struct {
		name string
		img  func(t *testing.T) v1.Image
		want string
	}{
		{"truncated gzip", func(t *testing.T) v1.Image {
			return imageWithStored(t, good, goodGz[:len(goodGz)/2])
		}, "truncated"},
		{"bad gzip", func(t *testing.T) v1.Image {
			bad := append([]byte{}, goodGz...)
			for i := 20; i < 60; i++ {
				bad[i] ^= 0x55
			}
			return imageWithStored(t, good, bad)
		}, "corrupt layer"},
		{"short tar at an entry boundary", func(t *testing.T) v1.Image {
			// Cut right after the first entry's header: tar itself may see
			// a clean end, the diffID check must not.
			return imageWithStored(t, good, gz(t, good[:512]))
		}, "digest"},
		{"short tar inside a file", func(t *testing.T) v1.Image {
			return imageWithStored(t, good, gz(t, good[:2048]))
		}, "truncated"},
		{"digest mismatch", func(t *testing.T) v1.Image {
			other := tarBytes(t, reg("etc/passwd", "evil"))
			return imageWithStored(t, good, gz(t, other))
		}, "digest"},
		{"entry escaping the root", func(t *testing.T) v1.Image {
			return imageOf(t, layerOf(t, reg("../../etc/passwd", "x")))
		}, "escapes the image root"},
		{"uid past 32 bits", func(t *testing.T) v1.Image {
			return imageOf(t, layerOf(t, tf{name: "x", typ: tar.TypeDir, mode: 0o755, uid: 1 << 32}))
		}, "uid 4294967296"},
		{"negative gid", func(t *testing.T) v1.Image {
			return imageOf(t, layerOf(t, tf{name: "x", typ: tar.TypeDir, mode: 0o755, gid: -1}))
		}, "gid -1"},
		{"sparse bomb", func(t *testing.T) v1.Image {
			return imageOf(t, rawGzLayer(t, sparseTar(t, "big", 10<<30)))
		}, "bytes"},
		{"decompression bomb", func(t *testing.T) v1.Image {
			zeros := make([]byte, 64<<20)
			tarData := tarBytes(t, reg("zeros", string(zeros)))
			return imageOf(t, rawGzLayer(t, tarData))
		}, "bomb"},
		{"not a tar", func(t *testing.T) v1.Image {
			return imageOf(t, layerFromBytes(t, gz(t, bytes.Repeat([]byte("not a tar archive "), 100))))
		}, "corrupt layer"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opts := Options{}
			if c.name == "decompression bomb" {
				opts.Limits = Limits{ExpandBase: 1 << 20, ExpandRatio: 100, MaxEntries: 1000}
			}
			inv, err := inventoryOf(t, c.img(t), opts)
			if err == nil {
				t.Fatalf("got an inventory of %d files, want an error", len(inv.Files))
			}
			var le *LayerError
			if !errors.As(err, &le) || le.Index != 0 || !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v (%T) must be a *LayerError naming layer 0 and wrap ErrCorrupt", err, err)
			}
			if !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "layer 0 (sha256:") {
				t.Fatalf("error %q does not name the layer and say %q", err, c.want)
			}
		})
	}
}

func TestDeviceFilesAndAbsoluteNames(t *testing.T) {
	l := layerOf(t,
		tf{name: "/dev/null", typ: tar.TypeChar, mode: 0o666},
		tf{name: "/dev/sda", typ: tar.TypeBlock, mode: 0o660, gid: 6, uid: 1<<32 - 1},
		tf{name: "./run/fifo", typ: tar.TypeFifo, mode: 0o600},
		reg("/abs/path", "x"),
		reg("a/../b", "y"),
	)
	inv, err := inventoryOf(t, imageOf(t, l), Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := fileMap(inv)
	for p, typ := range map[string]Type{"/dev/null": TypeChar, "/dev/sda": TypeBlock, "/run/fifo": TypeFifo, "/abs/path": TypeFile, "/b": TypeFile} {
		if m[p].Type != typ {
			t.Errorf("%s: type %q, want %q (files %q)", p, m[p].Type, typ, paths(inv))
		}
	}
	if m["/dev/sda"].GID != 6 || m["/dev/sda"].UID != 1<<32-1 {
		t.Errorf("uid or gid not kept: %+v", m["/dev/sda"])
	}
}

// sparseTar writes a PAX (format 1.0) sparse file whose logical size is
// size but which stores one byte. Go's tar.Writer refuses GNU.sparse
// records, so the headers are written by hand.
func sparseTar(t *testing.T, name string, size int64) []byte {
	t.Helper()
	sparseMap := "1\n0\n1\n"
	data := sparseMap + strings.Repeat("\x00", 512-len(sparseMap)) + "x"
	recs := ""
	for _, kv := range [][2]string{{"GNU.sparse.major", "1"}, {"GNU.sparse.minor", "0"},
		{"GNU.sparse.name", name}, {"GNU.sparse.realsize", itoa(size)}} {
		recs += paxRecord(kv[0], kv[1])
	}
	var buf bytes.Buffer
	buf.Write(ustarHeader(t, "PaxHeaders/"+name, 'x', int64(len(recs))))
	buf.WriteString(pad512(recs))
	buf.Write(ustarHeader(t, "GNUSparseFile.0/"+name, '0', int64(len(data))))
	buf.WriteString(pad512(data))
	buf.Write(make([]byte, 1024))
	return buf.Bytes()
}

func paxRecord(k, v string) string {
	rec := " " + k + "=" + v + "\n"
	n := len(rec)
	for {
		full := itoa(int64(n)) + rec
		if len(full) == n {
			return full
		}
		n = len(full)
	}
}

func pad512(s string) string {
	if r := len(s) % 512; r != 0 {
		s += strings.Repeat("\x00", 512-r)
	}
	return s
}

// ustarHeader builds a 512-byte ustar header block.
func ustarHeader(t *testing.T, name string, typ byte, size int64) []byte {
	t.Helper()
	h := make([]byte, 512)
	copy(h[0:], name)
	copy(h[100:], "0000644\x00")
	copy(h[108:], "0000000\x00")
	copy(h[116:], "0000000\x00")
	copy(h[124:], fmt.Sprintf("%011o\x00", size))
	copy(h[136:], "00000000000\x00")
	h[156] = typ
	copy(h[257:], "ustar\x0000")
	copy(h[148:], "        ")
	sum := 0
	for _, b := range h {
		sum += int(b)
	}
	copy(h[148:], fmt.Sprintf("%06o\x00 ", sum))
	return h
}
