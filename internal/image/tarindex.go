package image

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
)

// Bounds on what an archive may hold before it is judged not an image.
const (
	maxTarEntries = 1 << 16  // image archives hold a few entries per layer
	maxJSONSize   = 32 << 20 // manifest.json, index.json, manifests, configs
	maxLinkHops   = 8
)

// tarIndex maps the entries of an uncompressed tar file to their byte
// ranges, so entries are read in place through section readers: nothing
// is extracted and no layer is held in memory.
type tarIndex struct {
	f       *os.File
	entries map[string]tarEntry
	order   []string // entry names in archive order, for messages
}

type tarEntry struct {
	off, size int64
	link      string // hard or symbolic link target, cleaned
	dir       bool
}

// errNotTar means the file is not a tar archive at all.
var errNotTar = errors.New("not a tar archive")

// indexTar reads every header of the tar at p, seeking past contents.
// The caller owns the returned index and must Close it.
func indexTar(p string) (*tarIndex, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	ti, err := scanTar(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	return ti, nil
}

func scanTar(f *os.File) (*tarIndex, error) {
	ti := &tarIndex{f: f, entries: map[string]tarEntry{}}
	tr := tar.NewReader(f)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			if len(ti.order) == 0 {
				return nil, fmt.Errorf("%w: empty archive", errNotTar)
			}
			return ti, nil
		}
		if err != nil {
			if len(ti.order) == 0 {
				return nil, errNotTar
			}
			return nil, fmt.Errorf("reading tar header after %q: %w", ti.order[len(ti.order)-1], err)
		}
		if len(ti.order) >= maxTarEntries {
			return nil, fmt.Errorf("more than %d entries", maxTarEntries)
		}
		// tar.Reader reads headers without read-ahead, so the file offset
		// after Next is where this entry's content starts.
		off, err := f.Seek(0, io.SeekCurrent)
		if err != nil {
			return nil, err
		}
		name := cleanEntry(hdr.Name)
		e := tarEntry{off: off, size: hdr.Size}
		switch hdr.Typeflag {
		case tar.TypeReg:
		case tar.TypeDir:
			e.dir = true
		case tar.TypeLink:
			e.link = cleanEntry(hdr.Linkname)
		case tar.TypeSymlink:
			target := hdr.Linkname
			if !strings.HasPrefix(target, "/") {
				target = path.Join(path.Dir(name), target)
			}
			e.link = cleanEntry(target)
		default:
			continue // devices, sparse files: never part of an image archive
		}
		if _, dup := ti.entries[name]; !dup {
			ti.order = append(ti.order, name)
		}
		ti.entries[name] = e
	}
}

// cleanEntry normalises "./blobs/sha256/x" and "/manifest.json" alike.
func cleanEntry(n string) string {
	return strings.TrimPrefix(path.Clean("/"+n), "/")
}

func (ti *tarIndex) Close() error { return ti.f.Close() }

func (ti *tarIndex) has(name string) bool {
	_, err := ti.lookup(name)
	return err == nil
}

// lookup follows links to a regular entry.
func (ti *tarIndex) lookup(name string) (tarEntry, error) {
	name = cleanEntry(name)
	for hop := 0; hop <= maxLinkHops; hop++ {
		e, ok := ti.entries[name]
		switch {
		case !ok:
			return tarEntry{}, fmt.Errorf("%s: %w", name, os.ErrNotExist)
		case e.dir:
			return tarEntry{}, fmt.Errorf("%s: is a directory", name)
		case e.link == "":
			return e, nil
		}
		name = e.link
	}
	return tarEntry{}, fmt.Errorf("%s: too many links", name)
}

// open returns a reader over one entry's content.
func (ti *tarIndex) open(name string) (*io.SectionReader, error) {
	e, err := ti.lookup(name)
	if err != nil {
		return nil, err
	}
	return io.NewSectionReader(ti.f, e.off, e.size), nil
}

// readJSON returns a small entry's content, refusing oversized ones.
func (ti *tarIndex) readJSON(name string) ([]byte, error) {
	r, err := ti.open(name)
	if err != nil {
		return nil, err
	}
	if r.Size() > maxJSONSize {
		return nil, fmt.Errorf("%s: %d bytes, more than %d", name, r.Size(), maxJSONSize)
	}
	b := make([]byte, r.Size())
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return b, nil
}

// firstNames lists up to n entry names, for "what was found" messages.
func (ti *tarIndex) firstNames(n int) string {
	names := ti.order
	more := ""
	if len(names) > n {
		names, more = names[:n], fmt.Sprintf(", … %d more", len(ti.order)-n)
	}
	return strings.Join(names, ", ") + more
}
