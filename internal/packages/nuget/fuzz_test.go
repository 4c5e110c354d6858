package nuget

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse checks that any deps.json yields valid names and versions or
// notes, never a panic.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/root/*/*.deps.json")
	more, _ := filepath.Glob("testdata/root/*/*/*.deps.json")
	for _, s := range append(seeds, more...) {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		libs, _, err := parse(data)
		if err != nil && len(libs) > 0 {
			t.Fatal("libraries returned with an error")
		}
		for _, l := range libs {
			if !valid(l.name) || !valid(l.version) || strings.Contains(l.name+l.version, "/") {
				t.Fatalf("accepted %+v", l)
			}
		}
	})
}
