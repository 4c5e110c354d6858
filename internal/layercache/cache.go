package layercache

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// DefaultMaxBytes bounds a cache directory unless told otherwise. An entry
// is what one pass kept of a layer (its file list and package databases),
// a few MB for a large layer, so this keeps hundreds of layers.
const DefaultMaxBytes = 2 << 30

// magic starts every entry; a new layout of the file changes it.
const magic = "imgdrift-layercache-1\n"

// ErrDamaged marks an entry that failed its checks; it has been removed.
var ErrDamaged = errors.New("damaged cache entry")

// Cache is a directory of entries.
type Cache struct {
	dir string
	max int64
	now func() time.Time
}

// Open returns the cache in dir, creating dir; maxBytes bounds the total
// size of the entries (DefaultMaxBytes when zero or less).
func Open(dir string, maxBytes int64) (*Cache, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	dir = filepath.Join(dir, "layers")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("layer cache: %w", err)
	}
	return &Cache{dir: dir, max: maxBytes, now: time.Now}, nil
}

// validKey accepts keys that are plain file names: lower-case letters,
// digits, '.', '-' and '_', not starting with a dot (temporary files do).
func validKey(key string) bool {
	if key == "" || len(key) > 200 || key[0] == '.' {
		return false
	}
	for _, c := range key {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '.', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}

func (c *Cache) path(key string) (string, error) {
	if !validKey(key) {
		return "", fmt.Errorf("layer cache: invalid key %q", key)
	}
	return filepath.Join(c.dir, key), nil
}

// Get returns the content stored under key, and false when there is none.
// An entry that fails its checks is removed and reported with ErrDamaged.
// A hit marks the entry as just used.
func (c *Cache) Get(key string) ([]byte, bool, error) {
	p, err := c.path(key)
	if err != nil {
		return nil, false, err
	}
	raw, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("layer cache: %w", err)
	}
	data, err := open(key, raw)
	if err != nil {
		// Another process may have replaced the entry since it was read:
		// remove only what was read.
		if cur, rerr := os.ReadFile(p); rerr == nil && bytes.Equal(cur, raw) {
			os.Remove(p)
		}
		return nil, false, fmt.Errorf("%w %s: %v", ErrDamaged, key, err)
	}
	now := c.now()
	os.Chtimes(p, now, now) // a concurrent eviction may have removed it: fine
	return data, true, nil
}

// seal frames data for key: magic, key, length, SHA-256, data.
func seal(key string, data []byte) []byte {
	sum := sha256.Sum256(data)
	out := make([]byte, 0, len(magic)+binary.MaxVarintLen64*2+len(key)+len(sum)+len(data))
	out = append(out, magic...)
	out = binary.AppendUvarint(out, uint64(len(key)))
	out = append(out, key...)
	out = binary.AppendUvarint(out, uint64(len(data)))
	out = append(out, sum[:]...)
	return append(out, data...)
}

// open checks a framed entry and returns its data.
func open(key string, raw []byte) ([]byte, error) {
	rest, ok := bytes.CutPrefix(raw, []byte(magic))
	if !ok {
		return nil, errors.New("not a cache entry")
	}
	n, k := uvarint(rest)
	if k <= 0 || n > uint64(len(rest)-k) {
		return nil, errors.New("bad key length")
	}
	rest = rest[k:]
	if string(rest[:n]) != key {
		return nil, fmt.Errorf("entry is for another key")
	}
	rest = rest[n:]
	size, k := uvarint(rest)
	if k <= 0 || len(rest)-k < sha256.Size || size != uint64(len(rest)-k-sha256.Size) {
		return nil, errors.New("truncated or overlong")
	}
	rest = rest[k:]
	want, data := rest[:sha256.Size], rest[sha256.Size:]
	if sum := sha256.Sum256(data); !bytes.Equal(sum[:], want) {
		return nil, errors.New("checksum mismatch")
	}
	return data, nil
}

// uvarint reads a varint written the one way seal writes it: no
// redundant continuation bytes, so an entry has one form only.
func uvarint(b []byte) (uint64, int) {
	v, k := binary.Uvarint(b)
	if k > 0 && k != len(binary.AppendUvarint(nil, v)) {
		return 0, -1
	}
	return v, k
}

// Put stores data under key: written to a temporary file, then renamed
// over any entry of the same key, so readers never see part of it. Two
// writers of one key both write whole entries; the last rename wins.
// Putting may evict the least recently used entries.
func (c *Cache) Put(key string, data []byte) error {
	p, err := c.path(key)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(c.dir, ".tmp-"+key+"-*")
	if err != nil {
		return fmt.Errorf("layer cache: %w", err)
	}
	_, werr := f.Write(seal(key, data))
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("layer cache: write %s: %w", key, err)
	}
	if err := os.Rename(f.Name(), p); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("layer cache: %w", err)
	}
	return c.evict(key)
}

// staleTemp is the age past which a temporary file is taken for the
// leftover of a writer that died.
const staleTemp = time.Hour

// evict removes the least recently used entries (by modification time,
// which Get sets on every hit) until the directory fits its bound, never
// the entry just put. Files another process removed meanwhile are
// skipped.
func (c *Cache) evict(keep string) error {
	des, err := os.ReadDir(c.dir)
	if err != nil {
		return fmt.Errorf("layer cache: %w", err)
	}
	type file struct {
		name string
		size int64
		used time.Time
	}
	var files []file
	var total int64
	for _, de := range des {
		fi, err := de.Info()
		if err != nil {
			continue // removed meanwhile
		}
		if strings.HasPrefix(de.Name(), ".tmp-") {
			if c.now().Sub(fi.ModTime()) > staleTemp {
				os.Remove(filepath.Join(c.dir, de.Name()))
			}
			continue
		}
		if !fi.Mode().IsRegular() {
			continue
		}
		total += fi.Size()
		if de.Name() != keep {
			files = append(files, file{de.Name(), fi.Size(), fi.ModTime()})
		}
	}
	sort.Slice(files, func(i, j int) bool {
		if !files[i].used.Equal(files[j].used) {
			return files[i].used.Before(files[j].used)
		}
		return files[i].name < files[j].name
	})
	for _, f := range files {
		if total <= c.max {
			break
		}
		err := os.Remove(filepath.Join(c.dir, f.name))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("layer cache: evict: %w", err)
		}
		total -= f.size
	}
	return nil
}

// DefaultDir is where imagedrift keeps its caches: $XDG_CACHE_HOME/imagedrift
// when that is an absolute path, else ~/.cache/imagedrift; "" when there
// is neither. The layer cache is its "layers" folder, the OSV records its
// "osv" folder. getenv is the environment's (the action's, in its tests).
func DefaultDir(getenv func(string) string) string {
	if d := getenv("XDG_CACHE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "imagedrift")
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".cache", "imagedrift")
	}
	return ""
}
