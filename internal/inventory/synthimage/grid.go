package synthimage

import (
	"archive/tar"
	"fmt"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Spec is one point of the cost curve: Files paths written bottom-up,
// spread evenly over Layers. Every layer lays its files out the same way,
// in folders of 100 and groups of 100 folders, and of every 100 files:
//
//   - one is a symbolic link, one a hard link to a neighbour, one a hard
//     link to the layer's hub file (so a layer of n files holds n/100 links
//     to one file), and one sits 43 folders deep;
//   - the rest are regular files, a quarter of them empty, the others of
//     up to MaxSize bytes.
//
// Each layer above the first also changes the one below it: it rewrites
// one file in 100, changes the mode of another, whites out a third, and,
// where the layer below is big enough, whites out a whole folder (a group
// of 10,000 files where it has four groups or more) and makes another
// opaque, writing ten files into it again.
type Spec struct {
	Files   int
	Layers  int
	Seed    uint64
	MaxSize int // default 1024
}

const (
	perDir   = 100
	perGroup = 100 * perDir
	deep     = 40 // folders of the deep chain, below the group's "deep"
)

func (s Spec) perLayer() int { return s.Files / max(s.Layers, 1) }

func (s Spec) maxSize() int {
	if s.MaxSize == 0 {
		return 1024
	}
	return s.MaxSize
}

// Image is the image of the spec.
func (s Spec) Image() (v1.Image, error) {
	return Image(s.layers()...)
}

// Pair is a base image of the spec and a head that adds one layer on top,
// as a rebuild of the last step of a Dockerfile would: it changes the
// base's top layer the way layers change the one below, and adds a folder
// of new files, one hundredth of a layer. The two share every base layer.
func (s Spec) Pair() (base, head v1.Image, err error) {
	ls := s.layers()
	if base, err = Image(ls...); err != nil {
		return nil, nil, err
	}
	top := Layer(func(tw *tar.Writer) error {
		w := &writer{tw: tw}
		s.change(w, max(s.Layers, 1)-1, 2)
		s.files(w, "head", max(s.perLayer()/100, perDir), 3)
		return w.err
	})
	head, err = Image(append(ls, top)...)
	return base, head, err
}

func (s Spec) layers() []v1.Layer {
	n := max(s.Layers, 1)
	ls := make([]v1.Layer, n)
	for l := range ls {
		ls[l] = Layer(func(tw *tar.Writer) error {
			w := &writer{tw: tw}
			if l > 0 {
				s.change(w, l-1, 1)
			}
			s.files(w, layerDir(l), s.perLayer(), 0)
			return w.err
		})
	}
	return ls
}

func layerDir(l int) string { return fmt.Sprintf("l%03d", l) }

// key names file i of folder top in variant v (0: as first written).
func (s Spec) key(top string, i int, v uint64) uint64 {
	h := s.Seed ^ v<<56
	for _, c := range []byte(top) {
		h = mix(h ^ uint64(c))
	}
	return mix(h ^ uint64(i))
}

func subDir(top string, i int) string {
	return fmt.Sprintf("%s/g%d/s%d", top, i/perGroup, i/perDir%100)
}

func deepDir(top string, g int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s/g%d/deep", top, g)
	for d := 1; d <= deep; d++ {
		fmt.Fprintf(&b, "/d%02d", d)
	}
	return b.String()
}

// files writes n files under top (see Spec).
func (s Spec) files(w *writer, top string, n int, v uint64) {
	w.dir(top)
	hub := top + "/hub"
	w.file(hub, 0o755, 0, content(s.key(top, -1, v), s.maxSize()))
	for i := 0; i < n && w.err == nil; i++ {
		if i%perGroup == 0 {
			w.dir(fmt.Sprintf("%s/g%d", top, i/perGroup))
			chain := deepDir(top, i/perGroup)
			for j := strings.Index(chain, "/deep"); j >= 0; {
				k := strings.IndexByte(chain[j+1:], '/')
				if k < 0 {
					w.dir(chain)
					break
				}
				w.dir(chain[:j+1+k])
				j += 1 + k
			}
		}
		dir := subDir(top, i)
		if i%perDir == 0 {
			w.dir(dir)
		}
		name := fmt.Sprintf("%s/f%d", dir, i)
		switch i % perDir {
		case 99:
			w.symlink(name, fmt.Sprintf("f%d", i-1))
		case 98:
			w.hardlink(name, fmt.Sprintf("%s/f%d", dir, i-3))
		case 97:
			w.file(fmt.Sprintf("%s/f%d", deepDir(top, i/perGroup), i), 0o644, 0, content(s.key(top, i, v), s.maxSize()))
		case 96:
			w.hardlink(name, hub)
		default:
			s.regular(w, name, s.key(top, i, v), 0)
		}
	}
}

// regular writes a file whose mode, owner and content come from key h;
// mode, when set, overrides.
func (s Spec) regular(w *writer, name string, h uint64, mode int64) {
	if mode == 0 {
		mode = 0o644
		if h&0x30 == 0 {
			mode = 0o755
		}
	}
	uid := 0
	if h&0x300 == 0 {
		uid = 1000
	}
	w.file(name, mode, uid, content(h, s.maxSize()))
}

// change writes, into the layer above, the changes to layer l (see Spec),
// with content of variant v.
func (s Spec) change(w *writer, l int, v uint64) {
	top, n := layerDir(l), s.perLayer()
	groups, dirs := (n+perGroup-1)/perGroup, (n+perDir-1)/perDir
	gone := ""
	switch {
	case groups >= 4:
		gone = fmt.Sprintf("%s/g%d", top, groups-1)
		w.whiteout(top, fmt.Sprintf("g%d", groups-1))
	case dirs >= 4:
		gone = subDir(top, (dirs-1)*perDir)
		w.whiteout(gone[:strings.LastIndexByte(gone, '/')], gone[strings.LastIndexByte(gone, '/')+1:])
	}
	opaque := ""
	if dirs >= 4 {
		opaque = subDir(top, perDir)
		w.dir(opaque)
		w.opaque(opaque)
		for i := perDir; i < perDir+10; i++ {
			s.regular(w, fmt.Sprintf("%s/f%d", opaque, i), s.key(top, i, v), 0)
		}
	}
	for i := 0; i+7 < n && w.err == nil; i += perDir {
		dir := subDir(top, i)
		if dir == opaque || strings.HasPrefix(dir+"/", gone+"/") && gone != "" {
			continue
		}
		w.dir(dir)
		s.regular(w, fmt.Sprintf("%s/f%d", dir, i+5), s.key(top, i+5, v), 0)
		s.regular(w, fmt.Sprintf("%s/f%d", dir, i+6), s.key(top, i+6, 0), 0o600)
		w.whiteout(dir, fmt.Sprintf("f%d", i+7))
	}
}
