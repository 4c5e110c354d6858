package diff

import (
	"cmp"
	"slices"
	"strings"

	"github.com/imagedrift/imagedrift/internal/inventory"
)

// DirDepth is how deep directory sizes are kept: deep enough for
// /usr/local/lib/python3.12/site-packages/numpy.
const DirDepth = 6

// DirSize is the total size of the regular files under a directory.
type DirSize struct {
	Path          string
	Before, After int64
}

// Delta is After - Before.
func (d DirSize) Delta() int64 { return d.After - d.Before }

type dirSizer struct {
	ignore *PathSet
	sizes  map[string]*[2]int64
}

func newDirSizer(ignore *PathSet) *dirSizer {
	return &dirSizer{ignore: ignore, sizes: make(map[string]*[2]int64, 1024)}
}

// add counts a regular file in every ancestor directory up to DirDepth.
// The keys are substrings of the path: no allocation per file.
func (d *dirSizer) add(f *inventory.File, side int) {
	if f.Type != inventory.TypeFile || f.Size == 0 {
		return
	}
	if d.ignore.Len() > 0 && d.ignore.Match(f.Path) {
		return
	}
	p := f.Path
	for i, depth := 1, 0; i < len(p) && depth < DirDepth; i++ {
		if p[i] != '/' {
			continue
		}
		depth++
		s := d.sizes[p[:i]]
		if s == nil {
			s = &[2]int64{}
			d.sizes[p[:i]] = s
		}
		s[side] += f.Size
	}
}

func (d *dirSizer) changed() []DirSize {
	var out []DirSize
	for p, s := range d.sizes {
		if s[0] != s[1] {
			out = append(out, DirSize{Path: p, Before: s[0], After: s[1]})
		}
	}
	slices.SortFunc(out, func(a, b DirSize) int { return cmp.Compare(a.Path, b.Path) })
	return out
}

// Growing returns up to n directories that grew the most, leaving out a
// directory when one of its subdirectories accounts for at least 80% of
// its growth: "/usr/lib/jvm/java-17-openjdk-amd64" says more than "/usr".
func (fc *FileChanges) Growing(n int) []DirSize {
	maxChild := map[string]int64{}
	for _, d := range fc.Dirs {
		if parent := parentDir(d.Path); parent != "" && d.Delta() > maxChild[parent] {
			maxChild[parent] = d.Delta()
		}
	}
	var out []DirSize
	for _, d := range fc.Dirs {
		if d.Delta() > 0 && maxChild[d.Path]*5 < d.Delta()*4 {
			out = append(out, d)
		}
	}
	slices.SortStableFunc(out, func(a, b DirSize) int { return cmp.Compare(b.Delta(), a.Delta()) })
	if len(out) > n {
		out = out[:n]
	}
	return out
}

func parentDir(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i <= 0 {
		return ""
	}
	return p[:i]
}
