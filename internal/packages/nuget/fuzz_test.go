package nuget

import (
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages/catalogtest"
)

// FuzzParse checks that any deps.json yields valid names and versions or
// notes, never a panic.
func FuzzParse(f *testing.F) {
	catalogtest.SeedFiles(f, "testdata/root/*/*.deps.json", "testdata/root/*/*/*.deps.json")
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
