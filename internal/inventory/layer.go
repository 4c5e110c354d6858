package inventory

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"math"
	"path"
	"strings"
	"sync"
	"sync/atomic"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/klauspost/compress/zstd"
	"github.com/klauspost/pgzip"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// entryKind is what a tar entry does to the file system.
type entryKind uint8

const (
	kindFile entryKind = iota
	kindDir
	kindSymlink
	kindHardlink
	kindChar
	kindBlock
	kindFifo
	kindWhiteout // removes Path from lower layers
	kindOpaque   // removes the lower-layer contents of directory Path
)

// entry is one tar entry of a layer, as read. A layer may have millions,
// all kept until the file list is made: the fields are ordered so that
// there is no padding but at the end (96 bytes), and the captures, which
// few files have, are behind a pointer.
type entry struct {
	path     string
	link     string // symlink target, or hard link target path (cleaned)
	sha      [sha256.Size]byte
	size     int64
	captures *[]capture // nil when no cataloger kept anything
	uid, gid uint32     // headerEntry rejects ids past 32 bits
	mode     uint32
	kind     entryKind
	unknown  bool // a hard link whose target is missing: content unknown
	exec     Executable
}

// captured returns what the catalogers kept of the entry's content.
func (e *entry) captured() []capture {
	if e.captures == nil {
		return nil
	}
	return *e.captures
}

// capture is what one cataloger (index into the indexer's catalogers, or
// one of the inventory's own captures below) kept of a file.
type capture struct {
	cataloger int
	data      any
	err       error
}

// The inventory's own captures.
const (
	captureOSRelease = -1 // /etc/os-release, kept whole
	captureDigests   = -2 // *recordDigests of a file under /etc
)

// layerIndex is the result of reading one layer.
type layerIndex struct {
	entries    []entry
	uncompSize int64
	compSize   int64 // bytes read from the blob
}

// layerReader reads layers; it holds the catalogers and limits.
type layerReader struct {
	catalogers []packages.Cataloger
	limits     Limits
	bufPool    sync.Pool
}

// Limits bound what a hostile layer can make the inventory do.
type Limits struct {
	// ExpandBase + ExpandRatio × compressed size is the most bytes a layer
	// may expand to (tar stream, and the logical size of sparse files).
	ExpandBase  int64
	ExpandRatio int64
	// MaxEntries is the most tar entries one layer may hold.
	MaxEntries int
}

// DefaultLimits allow any real image: even layers of zeros rarely
// compress better than 100:1.
var DefaultLimits = Limits{ExpandBase: 1 << 30, ExpandRatio: 200, MaxEntries: 5_000_000}

// osReleasePaths are captured by the inventory itself.
var osReleasePaths = map[string]bool{"/etc/os-release": true, "/usr/lib/os-release": true}

const osReleaseCap = 64 << 10

// LayerError reports a layer that could not be read completely. The
// inventory is then not presented at all: a partial index must never
// read as "no changes".
type LayerError struct {
	Index  int
	Digest string
	Err    error
}

func (e *LayerError) Error() string {
	return fmt.Sprintf("layer %d (%s): %v", e.Index, shortDigest(e.Digest), e.Err)
}

func (e *LayerError) Unwrap() error { return e.Err }

// ErrCorrupt marks content that is not a valid layer (bad compression,
// short tar, digest mismatch, hostile entries).
var ErrCorrupt = errors.New("corrupt layer")

func shortDigest(d string) string {
	if i := strings.IndexByte(d, ':'); i >= 0 && len(d) > i+13 {
		return d[:i+13]
	}
	return d
}

// countingReader counts bytes read. When over is set, it fails once over
// reports the count too high. The count is read from other goroutines
// (the parallel inflater reads the stored bytes ahead on its own), so it
// is atomic.
type countingReader struct {
	r    io.Reader
	n    atomic.Int64
	over func(n int64) error
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	total := c.n.Add(int64(n))
	if c.over != nil {
		if oerr := c.over(total); oerr != nil {
			return n, oerr
		}
	}
	return n, err
}

// expansionLimit is the most bytes a layer may expand to after comp
// stored bytes were read: the ratio is checked as the stream goes, so a
// bomb is stopped early, and no stored size needs to be known up front.
func (l Limits) expansionLimit(comp int64) int64 {
	return l.ExpandBase + l.ExpandRatio*comp
}

// decompress peeks at the stream's magic bytes (media types are not to be
// trusted) and returns a reader of the tar stream.
func decompress(r io.Reader) (tarStream io.Reader, closeFn func(), err error) {
	br := bufio.NewReaderSize(r, 64<<10)
	magic, err := br.Peek(4)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, nil, err
	}
	switch {
	case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		zr, err := pgzip.NewReaderN(br, 1<<20, 4)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: gzip: %v", ErrCorrupt, err)
		}
		return zr, func() { zr.Close() }, nil
	case bytes.HasPrefix(magic, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(1<<30))
		if err != nil {
			return nil, nil, fmt.Errorf("%w: zstd: %v", ErrCorrupt, err)
		}
		return zr, zr.Close, nil
	}
	return br, func() {}, nil
}

// read indexes one layer: every entry with its metadata, the SHA-256 of
// every regular file, and what the catalogers extract. It verifies what it
// read: against stored, the digest of the stored blob, when the manifest
// gives one (for a compressed blob that hashes a third of the bytes the
// tar stream has); else against diffID, the digest of the tar stream that
// the image config records. Either way each byte is hashed once.
func (lr *layerReader) read(ctx context.Context, l v1.Layer, diffID, stored v1.Hash) (*layerIndex, error) {
	// The stored bytes, decompressed here with a parallel inflater and
	// verified against the manifest's digest: every source of this
	// project returns a layer as stored, compressed or not.
	rc, err := l.Compressed()
	if err != nil {
		return nil, fmt.Errorf("open blob: %w", err)
	}
	defer rc.Close()
	blobHash := sha256.New()
	comp := &countingReader{r: rc}
	var blob io.Reader = comp
	checkStored := stored.Algorithm == "sha256"
	if checkStored {
		blob = io.TeeReader(comp, blobHash)
	}
	tarStream, closeZ, err := decompress(blob)
	if err != nil {
		return nil, err
	}
	defer closeZ()
	counted := &countingReader{r: tarStream, over: func(n int64) error {
		if limit := lr.limits.expansionLimit(comp.n.Load()); n > limit {
			return fmt.Errorf("%w: layer expands past %d bytes from %d stored bytes (decompression bomb?)", ErrCorrupt, limit, comp.n.Load())
		}
		return nil
	}}
	streamHash := sha256.New()
	var stream io.Reader = counted
	if !checkStored {
		stream = io.TeeReader(counted, streamHash)
	}
	tr := tar.NewReader(stream)

	idx := &layerIndex{}
	var entries entryList
	fileHash := sha256.New() // reset for each file
	var logical int64
	buf := lr.buffer()
	defer lr.bufPool.Put(buf)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, corrupt("tar", err)
		}
		if entries.len() >= lr.limits.MaxEntries {
			return nil, fmt.Errorf("%w: more than %d entries", ErrCorrupt, lr.limits.MaxEntries)
		}
		// The entry is decoded in place at the end of the list: a layer
		// has up to millions, and each built apart and copied in would
		// be garbage.
		e := entries.add()
		ok, err := headerEntry(hdr, e)
		if err != nil {
			return nil, err
		}
		if !ok {
			entries.dropLast()
			continue // pax global headers and the like carry no path
		}
		if e.kind == kindFile {
			logical += hdr.Size
			if limit := lr.limits.expansionLimit(comp.n.Load()); logical > limit {
				return nil, fmt.Errorf("%w: file contents add up past %d bytes from %d stored bytes (sparse files or a bomb), at %s", ErrCorrupt, limit, comp.n.Load(), e.path)
			}
			if err := lr.readContent(e, hdr, tr, *buf, fileHash); err != nil {
				return nil, err
			}
		}
	}
	// The tar end marker may be followed by padding, and the compressed
	// stream by more bytes: all of it is hashed.
	if _, err := io.CopyBuffer(io.Discard, stream, *buf); err != nil {
		return nil, corrupt("read", err)
	}
	if checkStored {
		if _, err := io.CopyBuffer(io.Discard, blob, *buf); err != nil {
			return nil, corrupt("read", err)
		}
		if got := "sha256:" + fmt.Sprintf("%x", blobHash.Sum(nil)); stored.String() != got {
			return nil, fmt.Errorf("%w: stored blob has digest %s, the manifest says %s (truncated or altered layer)", ErrCorrupt, shortDigest(got), shortDigest(stored.String()))
		}
	} else if got := "sha256:" + fmt.Sprintf("%x", streamHash.Sum(nil)); diffID.String() != got && diffID.Algorithm == "sha256" {
		return nil, fmt.Errorf("%w: uncompressed content has digest %s, the image config says %s (truncated or altered layer)", ErrCorrupt, shortDigest(got), shortDigest(diffID.String()))
	}
	idx.entries = entries.slice()
	idx.uncompSize = counted.n.Load()
	idx.compSize = comp.n.Load()
	return idx, nil
}

func corrupt(what string, err error) error {
	if errors.Is(err, ErrCorrupt) {
		return err
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: %s: unexpected end of data (truncated layer)", ErrCorrupt, what)
	}
	return fmt.Errorf("%w: %s: %v", ErrCorrupt, what, err)
}

func (lr *layerReader) buffer() *[]byte {
	if b, ok := lr.bufPool.Get().(*[]byte); ok {
		return b
	}
	b := make([]byte, 256<<10)
	return &b
}

// readContent hashes a regular file and streams it into every extractor
// that asked for it.
func (lr *layerReader) readContent(e *entry, hdr *tar.Header, r io.Reader, buf []byte, h hash.Hash) error {
	h.Reset()
	var exts []packages.Extractor
	var extIdx []int
	mode := fs.FileMode(hdr.Mode & 0o777)
	for i, c := range lr.catalogers {
		if x := c.Match(e.path, hdr.Size, mode); x != nil {
			exts = append(exts, x)
			extIdx = append(extIdx, i)
		}
	}
	if osReleasePaths[e.path] {
		exts = append(exts, packages.Capture(osReleaseCap))
		extIdx = append(extIdx, captureOSRelease)
	}
	if wantsRecordDigests(e.path, hdr.Size) {
		exts = append(exts, newRecordDigests())
		extIdx = append(extIdx, captureDigests)
	}
	ws := make([]io.Writer, 0, len(exts)+1)
	ws = append(ws, h)
	for _, x := range exts {
		ws = append(ws, x)
	}
	sn := sniffer{w: multiWriter(ws)}
	n, err := io.CopyBuffer(&sn, r, buf)
	if err != nil {
		return corrupt("file "+e.path, err)
	}
	if n != hdr.Size {
		return fmt.Errorf("%w: file %s: read %d of %d bytes", ErrCorrupt, e.path, n, hdr.Size)
	}
	h.Sum(e.sha[:0])
	e.exec = sn.kind(e.mode)
	if len(exts) > 0 {
		caps := make([]capture, len(exts))
		for i, x := range exts {
			data, err := x.Result()
			caps[i] = capture{cataloger: extIdx[i], data: data, err: err}
		}
		e.captures = &caps
	}
	return nil
}

// multiWriter writes to every writer; extractors never fail, so unlike
// io.MultiWriter there is no short-write bookkeeping.
type multiWriter []io.Writer

func (m multiWriter) Write(p []byte) (int, error) {
	for _, w := range m {
		w.Write(p)
	}
	return len(p), nil
}

// headerEntry decodes a tar header into e, a zero entry, decoding
// whiteouts; it reports false for headers that carry no path. It rejects
// names that climb out of the root, which container runtimes refuse to
// extract.
func headerEntry(hdr *tar.Header, e *entry) (bool, error) {
	switch hdr.Typeflag {
	case tar.TypeXGlobalHeader, tar.TypeGNULongName, tar.TypeGNULongLink, tar.TypeXHeader:
		return false, nil
	}
	p, err := cleanPath(hdr.Name)
	if err != nil {
		return false, err
	}
	// Linux ids are unsigned 32-bit numbers, and the inventory keeps them
	// so: a header claiming another (negative, or past 32 bits, which only
	// base-256 or PAX records can) is rejected rather than cut short.
	if uint64(hdr.Uid) > math.MaxUint32 || uint64(hdr.Gid) > math.MaxUint32 {
		return false, fmt.Errorf("%w: entry %s has uid %d and gid %d, not both 0 to %d", ErrCorrupt, p, hdr.Uid, hdr.Gid, uint32(math.MaxUint32))
	}
	*e = entry{path: p, mode: uint32(hdr.Mode) & 0o7777, uid: uint32(hdr.Uid), gid: uint32(hdr.Gid)}
	dir, base := path.Split(p)
	if strings.HasPrefix(base, ".wh.") {
		if base == ".wh..wh..opq" {
			e.kind, e.path = kindOpaque, path.Clean(dir)
			return true, nil
		}
		if strings.HasPrefix(base, ".wh..wh.") {
			return false, nil // other AUFS metadata (.wh..wh.plnk, .wh..wh.aufs)
		}
		e.kind, e.path = kindWhiteout, path.Join(dir, strings.TrimPrefix(base, ".wh."))
		return true, nil
	}
	switch hdr.Typeflag {
	case tar.TypeReg, tar.TypeRegA, tar.TypeGNUSparse, tar.TypeCont:
		e.kind, e.size = kindFile, hdr.Size
	case tar.TypeDir:
		e.kind = kindDir
	case tar.TypeSymlink:
		e.kind, e.link = kindSymlink, hdr.Linkname
	case tar.TypeLink:
		target, err := cleanPath(hdr.Linkname)
		if err != nil {
			return false, fmt.Errorf("%w: hard link %s: %v", ErrCorrupt, p, err)
		}
		e.kind, e.link = kindHardlink, target
	case tar.TypeChar:
		e.kind = kindChar
	case tar.TypeBlock:
		e.kind = kindBlock
	case tar.TypeFifo:
		e.kind = kindFifo
	default:
		return false, fmt.Errorf("%w: entry %s has unknown type %q", ErrCorrupt, p, hdr.Typeflag)
	}
	return true, nil
}

// cleanPath makes a tar name absolute and clean. Absolute names are taken
// relative to the image root, as runtimes do; names whose ".." would climb
// above the root are an error.
func cleanPath(name string) (string, error) {
	if strings.IndexByte(name, 0) >= 0 {
		return "", fmt.Errorf("%w: entry name contains a NUL byte: %q", ErrCorrupt, name)
	}
	rel := strings.TrimLeft(name, "/")
	depth := 0
	for _, part := range strings.Split(rel, "/") {
		switch part {
		case "", ".":
		case "..":
			depth--
			if depth < 0 {
				return "", fmt.Errorf("%w: entry %q escapes the image root", ErrCorrupt, name)
			}
		default:
			depth++
		}
	}
	return path.Clean("/" + rel), nil
}
