package synthimage

import (
	"archive/tar"
	"fmt"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// The cases below each stress one step of the squash that a naive
// implementation makes quadratic; their cost must grow with n and no
// faster.

// Hardlinks is one layer of one file and n hard links to it, in folders
// of 1,000.
func Hardlinks(n int) (v1.Image, error) {
	return Image(Layer(func(tw *tar.Writer) error {
		w := &writer{tw: tw}
		w.dir("h")
		w.file("h/target", 0o755, 0, pool[:512])
		for i := 0; i < n && w.err == nil; i++ {
			if i%1000 == 0 {
				w.dir(fmt.Sprintf("h/d%d", i/1000))
			}
			w.hardlink(fmt.Sprintf("h/d%d/l%d", i/1000, i), "h/target")
		}
		return w.err
	}))
}

// DirWhiteout is a layer with a folder of n files and, above it, a layer
// that whites the folder out (opaque: makes it opaque) and writes one
// file.
func DirWhiteout(n int, opaque bool) (v1.Image, error) {
	bottom := Layer(func(tw *tar.Writer) error {
		w := &writer{tw: tw}
		w.dir("big")
		for i := 0; i < n && w.err == nil; i++ {
			w.file(fmt.Sprintf("big/f%d", i), 0o644, 0, nil)
		}
		return w.err
	})
	top := Layer(func(tw *tar.Writer) error {
		w := &writer{tw: tw}
		if opaque {
			w.dir("big")
			w.opaque("big")
			w.file("big/again", 0o644, 0, nil)
		} else {
			w.file(".wh.big", 0o644, 0, nil)
			w.file("after", 0o644, 0, nil)
		}
		return w.err
	})
	return Image(bottom, top)
}

// Deep is one layer of n files, each depth folders deep: 100 files share
// a chain of folders.
func Deep(n, depth int) (v1.Image, error) {
	return Image(Layer(func(tw *tar.Writer) error {
		w := &writer{tw: tw}
		var chain string
		for i := 0; i < n && w.err == nil; i++ {
			if i%100 == 0 {
				chain = fmt.Sprintf("c%d", i/100)
				w.dir(chain)
				for d := 2; d <= depth; d++ {
					chain += "/" + strings.Repeat("d", 1+d%7)
					w.dir(chain)
				}
			}
			w.file(fmt.Sprintf("%s/f%d", chain, i), 0o644, 0, nil)
		}
		return w.err
	}))
}
