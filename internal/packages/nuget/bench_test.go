package nuget

import (
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages/catalogtest"
)

// BenchmarkMatch measures Match over every file path of a real root file
// system, as the inventory pass calls it; ns/op is per path.
func BenchmarkMatch(b *testing.B) { catalogtest.BenchMatch(b, New()) }
