package fix

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// FuzzPin checks that pinning only ever inserts "@sha256:…" after the
// references it reports, leaving every other byte as it was.
func FuzzPin(f *testing.F) {
	paths, _ := filepath.Glob("../testdata/corpus/*.Dockerfile")
	for _, p := range paths {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte("FROM a:1 AS b\nFROM b\nFROM \\\n  c:2\n"))
	digest := "sha256:" + string(bytes.Repeat([]byte("f"), 64))
	r := resolverFunc(func(context.Context, string) (string, error) { return digest, nil })
	f.Fuzz(func(t *testing.T, src []byte) {
		out, res, err := Pin(context.Background(), "Dockerfile", src, r)
		if err != nil {
			return
		}
		insert := []byte("@" + digest)
		if got := bytes.Count(out, insert) - bytes.Count(src, insert); got != len(res.Pinned) {
			t.Fatalf("%d digests inserted, %d reported", got, len(res.Pinned))
		}
		if !bytes.Equal(bytes.ReplaceAll(out, insert, nil), bytes.ReplaceAll(src, insert, nil)) {
			t.Fatalf("Pin changed more than the references:\n%q\n%q", src, out)
		}
	})
}
