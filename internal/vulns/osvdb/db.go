package osvdb

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/imagedrift/imagedrift/internal/vulns/osv"
)

// Limits bound what one ecosystem's all.zip may cost: zip files are
// untrusted (a zip bomb declares small sizes and inflates to gigabytes),
// so the sizes are enforced on the inflated streams, not read from the
// headers.
type Limits struct {
	MaxEntries   int   // records per ecosystem
	MaxEntrySize int64 // inflated bytes per record
	MaxTotal     int64 // inflated bytes per ecosystem
}

// DefaultLimits leave room for the largest exports (npm with its
// malicious-package records: a few hundred thousand entries, a few GB).
var DefaultLimits = Limits{MaxEntries: 2_000_000, MaxEntrySize: osv.MaxRecordSize, MaxTotal: 16 << 30}

// DB is an offline OSV database in a directory holding, per ecosystem,
// the export osv.dev publishes at
// https://osv-vulnerabilities.storage.googleapis.com/<Ecosystem>/all.zip:
// DIR/Debian/all.zip, DIR/PyPI/all.zip, ... (the base ecosystem, without
// a release suffix: Debian 12 records are in Debian/all.zip). This is the
// layout osv-scanner and osv-scalibr keep in their cache
// (<cache>/osv-scalibr/<Ecosystem>/all.zip, so DIR can be that folder).
//
// Only the ecosystems a lookup needs are read, each once: every record
// is scanned for its package names and indexed by name, and only the
// records of the names asked for are decoded. A DB is safe for concurrent
// use; Close releases the files.
type DB struct {
	dir    string
	limits Limits

	mu   sync.Mutex
	ecos map[string]*index
}

// Open returns the database in dir; the folder must exist, its
// ecosystems are read on first use.
func Open(dir string, limits Limits) (*DB, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("open offline OSV database: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("open offline OSV database: %s is not a directory", dir)
	}
	return &DB{dir: dir, limits: limits, ecos: map[string]*index{}}, nil
}

// Find answers each query with the records of its base ecosystem that
// name the package. An ecosystem whose all.zip is missing or unreadable
// fails its queries only, with the reason in osv.Found.Err.
func (db *DB) Find(ctx context.Context, queries []osv.Query) ([]osv.Found, error) {
	out := make([]osv.Found, len(queries))
	for i, q := range queries {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ix, err := db.ecosystem(q.Base())
		if err != nil {
			out[i].Err = err
			continue
		}
		out[i].Records, out[i].Err = ix.lookup(q.Name)
	}
	return out, nil
}

func (db *DB) ecosystem(base string) (*index, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	if ix, ok := db.ecos[base]; ok {
		return ix, ix.err
	}
	ix := db.load(base)
	db.ecos[base] = ix
	return ix, ix.err
}

func (db *DB) load(base string) *index {
	ix := &index{}
	if base == "" || base == "." || base == ".." || filepath.Base(base) != base {
		ix.err = fmt.Errorf("offline OSV database: invalid ecosystem %q", base)
		return ix
	}
	path := filepath.Join(db.dir, base, "all.zip")
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		ix.err = fmt.Errorf("offline OSV database has no %s records: %s is missing", base, path)
		return ix
	}
	if err != nil {
		ix.err = fmt.Errorf("offline OSV database: %w", err)
		return ix
	}
	st, err := f.Stat()
	if err == nil {
		var zr *zip.Reader
		if zr, err = zip.NewReader(f, st.Size()); err == nil {
			err = ix.build(zr, base, db.limits)
		}
	}
	if err != nil {
		f.Close()
		ix.err = fmt.Errorf("read %s: %w", path, err)
		return ix
	}
	ix.file = f
	return ix
}

// Close releases the zip files read so far.
func (db *DB) Close() error {
	db.mu.Lock()
	defer db.mu.Unlock()
	var errs []error
	for _, ix := range db.ecos {
		if ix.file != nil {
			errs = append(errs, ix.file.Close())
		}
	}
	db.ecos = map[string]*index{}
	return errors.Join(errs...)
}
