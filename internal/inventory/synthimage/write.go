package synthimage

import (
	"archive/tar"
	"time"
)

// mtime is every entry's: a fixed time in the range of a ustar header, so
// no entry needs a PAX record for it.
var mtime = time.Unix(1_700_000_000, 0)

// writer adds entries to a layer's tar stream, keeping the first error.
type writer struct {
	tw  *tar.Writer
	err error
}

func (w *writer) header(h *tar.Header) {
	if w.err == nil {
		h.ModTime = mtime
		w.err = w.tw.WriteHeader(h)
	}
}

func (w *writer) dir(name string) {
	w.header(&tar.Header{Typeflag: tar.TypeDir, Name: name + "/", Mode: 0o755})
}

func (w *writer) file(name string, mode int64, uid int, content []byte) {
	w.header(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Uid: uid, Gid: uid, Size: int64(len(content))})
	if w.err == nil && len(content) > 0 {
		_, w.err = w.tw.Write(content)
	}
}

func (w *writer) symlink(name, target string) {
	w.header(&tar.Header{Typeflag: tar.TypeSymlink, Name: name, Linkname: target, Mode: 0o777})
}

func (w *writer) hardlink(name, target string) {
	w.header(&tar.Header{Typeflag: tar.TypeLink, Name: name, Linkname: target, Mode: 0o644})
}

// whiteout hides name of the lower layers; opaque hides what they hold
// under dir.
func (w *writer) whiteout(dir, base string) { w.file(dir+"/.wh."+base, 0o644, 0, nil) }
func (w *writer) opaque(dir string)         { w.file(dir+"/.wh..wh..opq", 0o644, 0, nil) }

// mix is splitmix64: the content, sizes and modes of the files come from
// it, keyed by the seed and the file's place, so any file can be made
// again without keeping state.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// pool is the bytes file contents are cut from.
var pool = func() []byte {
	b := make([]byte, 64<<10)
	for i := 0; i < len(b); i += 8 {
		v := mix(uint64(i))
		for j := 0; j < 8; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return b
}()

// content is a file's bytes for key h: a quarter of files are empty, as
// in real images (markers, __init__.py, locks), the rest up to MaxSize.
func content(h uint64, maxSize int) []byte {
	if h&3 == 0 || maxSize == 0 {
		return nil
	}
	size := int(h>>8) % maxSize
	off := int(h>>32) % (len(pool) - maxSize)
	return pool[off : off+size]
}
