package lint

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzLint feeds arbitrary bytes to the front end and the rules. Lint must
// not panic; when BuildKit accepts a file, every finding must point into
// it, rebuilt lines must equal BuildKit's and map back byte for byte, and
// base image offsets must cover the reference.
func FuzzLint(f *testing.F) {
	paths, _ := filepath.Glob("testdata/corpus/*.Dockerfile")
	for _, p := range paths {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src)
		}
	}
	for _, src := range tricky {
		f.Add([]byte(src))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		opts := Options{Target: "build", DeployTarget: "prod"}
		fs, err := Lint("Dockerfile", src, opts)
		if err != nil {
			return
		}
		checkFindings(t, "Dockerfile", src, fs)
		again, _ := Lint("Dockerfile", src, opts)
		if !reflect.DeepEqual(fs, again) {
			t.Fatalf("two runs differ:\n%v\n%v", fs, again)
		}
		d, err := parse("Dockerfile", src)
		if err != nil {
			t.Fatalf("Lint parsed, parse did not: %v", err)
		}
		checkTexts(t, "Dockerfile", d)
		bases, err := BaseImages("Dockerfile", src)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range bases {
			if b.Start >= 0 && string(src[b.Start:b.End]) != b.Image {
				t.Fatalf("base image %q at %d:%d reads %q", b.Image, b.Start, b.End, src[b.Start:b.End])
			}
		}
	})
}
