package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/imagedrift/imagedrift/internal/fixtures"
	"github.com/imagedrift/imagedrift/internal/image"
)

// BenchmarkDiffCached runs whole diffs (JSON report) of the realistic
// fixtures with the layer cache: cold (an empty cache, every layer read
// and stored), warm (the same pair again: nothing read), top (a head
// that differs from the cached base in its top layer only: that layer is
// read) and, for scale, same (the cached base against itself: one
// inventory, nothing read). Run with
//
//	go test ./cmd/imagedrift -run '^$' -bench DiffCached -benchtime 1x
func BenchmarkDiffCached(b *testing.B) {
	pairs := [][2]string{{"big-c", "big-d"}, {"bookworm-minbase", "trixie-minbase"}}
	for _, pair := range pairs {
		base := fixtures.Path("images", pair[0]+".docker.tar")
		head := fixtures.Path("images", pair[1]+".docker.tar")
		if _, err := os.Stat(head); err != nil {
			b.Logf("skip %s: %v (build it with ../shared/bench/make-fixtures.sh)", pair, err)
			continue
		}
		if _, err := os.Stat(base); err != nil {
			b.Logf("skip %s: %v", pair, err)
			continue
		}
		b.Run(pair[0]+"-"+pair[1]+"/cold", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				benchDiff(b, b.TempDir(), base, head)
			}
		})
		b.Run(pair[0]+"-"+pair[1]+"/warm", func(b *testing.B) {
			dir := b.TempDir()
			benchDiff(b, dir, base, head)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				benchDiff(b, dir, base, head)
			}
		})
	}
	base := fixtures.Path("images", "big-c-3layer.docker.tar")
	if _, err := os.Stat(base); err != nil {
		b.Logf("skip top: %v", err)
		return
	}
	b.Run("big-c-3layer/same", func(b *testing.B) {
		dir := b.TempDir()
		benchDiff(b, dir, base, base)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			benchDiff(b, dir, base, base)
		}
	})
	b.Run("big-c-3layer/top", func(b *testing.B) {
		dir := b.TempDir()
		head := topChanged(b, base)
		benchDiff(b, dir, base, base) // the base's layers are cached
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			// Only the base is cached at each iteration's start: the
			// head's top layer is read every time.
			os.RemoveAll(filepath.Join(dir, "layers"))
			benchDiff(b, dir, base, base)
			b.StartTimer()
			benchDiff(b, dir, base, head)
		}
	})
}

func benchDiff(b *testing.B, cacheDir, base, head string) {
	b.Helper()
	t0 := time.Now()
	var out, errb bytes.Buffer
	args := []string{"diff", base, head, "--format", "json", "--cache-dir", cacheDir}
	if code := run(context.Background(), args, defaultDeps(), streams{Out: &out, Err: &errb}); code != 0 && code != 1 {
		b.Fatalf("exit %d: %s", code, errb.String())
	}
	b.ReportMetric(float64(time.Since(t0).Milliseconds()), "ms/diff")
}

// topChanged writes, beside the benchmark, a copy of the image at base
// whose top layer has one file changed and one added: what a commit that
// only touches what the last COPY copies gives.
func topChanged(b *testing.B, base string) string {
	b.Helper()
	img, err := image.Open(context.Background(), base, image.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer img.Close()
	layers, err := img.Image.Layers()
	if err != nil {
		b.Fatal(err)
	}
	data := rewriteTop(b, layers[len(layers)-1])
	top, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil })
	if err != nil {
		b.Fatal(err)
	}
	lower, err := mutate.AppendLayers(emptyOf(b, img.Image), layers[:len(layers)-1]...)
	if err != nil {
		b.Fatal(err)
	}
	headImg, err := mutate.AppendLayers(lower, top)
	if err != nil {
		b.Fatal(err)
	}
	p := filepath.Join(b.TempDir(), "head.docker.tar")
	tag, _ := name.NewTag("imagedrift-bench/top:latest")
	if err := tarball.WriteToFile(p, tag, headImg); err != nil {
		b.Fatal(err)
	}
	return p
}

// emptyOf is img's config without layers.
func emptyOf(b *testing.B, img v1.Image) v1.Image {
	b.Helper()
	cf, err := img.ConfigFile()
	if err != nil {
		b.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.RootFS.DiffIDs, cf.History = nil, nil
	out, err := mutate.ConfigFile(empty.Image, cf)
	if err != nil {
		b.Fatal(err)
	}
	return out
}

// rewriteTop copies the layer's tar stream, gzipped, with the first
// regular file's content changed and a file added.
func rewriteTop(b *testing.B, l v1.Layer) []byte {
	b.Helper()
	rc, err := l.Uncompressed()
	if err != nil {
		b.Fatal(err)
	}
	defer rc.Close()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	tr := tar.NewReader(rc)
	changed := false
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(tr)
		if err != nil {
			b.Fatal(err)
		}
		if hdr.Typeflag == tar.TypeReg && !changed {
			body, changed = append(body, "\n// changed\n"...), true
			hdr.Size = int64(len(body))
		}
		if err := tw.WriteHeader(hdr); err != nil {
			b.Fatal(err)
		}
		tw.Write(body)
	}
	added := []byte("added by the head\n")
	tw.WriteHeader(&tar.Header{Name: "app/ADDED", Mode: 0o644, Size: int64(len(added)), Typeflag: tar.TypeReg})
	tw.Write(added)
	if err := tw.Close(); err != nil {
		b.Fatal(err)
	}
	zw.Close()
	return buf.Bytes()
}
