package catalogtest

import (
	"maps"
	"slices"
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// Match checks, path by path in sorted order, that c.Match selects a
// regular file of 100 bytes at each path of want exactly when want says so.
func Match(t *testing.T, c packages.Cataloger, want map[string]bool) {
	t.Helper()
	for _, path := range slices.Sorted(maps.Keys(want)) {
		if got := c.Match(path, 100, 0o644) != nil; got != want[path] {
			t.Errorf("Match(%q) = %v, want %v", path, got, want[path])
		}
	}
}
