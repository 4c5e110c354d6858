package catalogtest

import (
	"os"
	"path/filepath"
	"testing"
)

// SeedFiles adds the content of every file matching the glob patterns,
// in order, to the fuzz target's seed corpus.
func SeedFiles(f *testing.F, patterns ...string) {
	for _, pattern := range patterns {
		files, _ := filepath.Glob(pattern)
		for _, s := range files {
			if b, err := os.ReadFile(s); err == nil {
				f.Add(b)
			}
		}
	}
}
