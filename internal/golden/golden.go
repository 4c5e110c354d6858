// Package golden compares test output with golden files under testdata/
// and holds the one -update flag of the module's tests: every test binary
// registers it through this package, so that `go test ./... -update`
// rewrites the golden files and no package rejects the flag.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// Update is set by -update: tests rewrite their golden files instead of
// comparing with them.
var Update = flag.Bool("update", false, "rewrite golden files under testdata/")

// Check compares got with the file at path, or writes it there under
// -update.
func Check(tb testing.TB, path string, got []byte) {
	tb.Helper()
	if *Update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (go test -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("%s differs from the golden file (check, then go test -update to accept); got:\n%s", path, got)
	}
}
