package inventory

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"path"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// Cache keeps what reading a layer yielded, so that a layer read by an
// earlier run is not inflated again. Keys name the digest the read was
// verified against (see layerKey) and everything else that decides what
// a read yields; the store must return, for a key, only bytes that were
// Put under it (internal/layercache checks a checksum on every read).
type Cache interface {
	// Get returns the bytes stored under key; false on a miss. An error
	// means the entry was unusable: the layer is read again.
	Get(key string) ([]byte, bool, error)
	Put(key string, data []byte) error
}

// cacheFormat is the version of what a stored layer index holds and how.
// Bump it whenever the pass keeps something else of a layer: another
// entry field, another capture, another rule for which files get record
// digests.
const cacheFormat = 1

// fingerprint names everything beside the layer's content that decides
// what a read of it yields: the stored format, the catalogers in their
// order (captures refer to them by index), the capture types, the limits,
// and the program's own version (as given, and as the build recorded it),
// as a cataloger's Match may change from one version to the next.
func fingerprint(cats []packages.Cataloger, limits Limits, program string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "format %d\n", cacheFormat)
	for _, c := range cats {
		fmt.Fprintf(&b, "cataloger %s %T\n", c.Ecosystem(), c)
	}
	types := packages.CaptureTypes()
	sort.Strings(types)
	fmt.Fprintf(&b, "captures %s\n", strings.Join(types, " "))
	fmt.Fprintf(&b, "limits %d %d %d\n", limits.ExpandBase, limits.ExpandRatio, limits.MaxEntries)
	fmt.Fprintf(&b, "weak %s %d osrelease %d\n", packages.WeakDigestDir, packages.MaxWeakDigest, osReleaseCap)
	fmt.Fprintf(&b, "program %q\n", program)
	if bi, ok := debug.ReadBuildInfo(); ok {
		fmt.Fprintf(&b, "build %s %s %s", bi.Main.Path, bi.Main.Version, bi.GoVersion)
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
				fmt.Fprintf(&b, " %s=%s", s.Key, s.Value)
			}
		}
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:8])
}

// cacheKey is the store's key for a layer: how it was verified (its
// stored blob, or only its diffID), the digest, and the fingerprint. A
// diffID-verified read never answers for a blob-verified one, nor the
// other way round, as in the Indexer's own map.
func cacheKey(k layerKey, fp string) (string, bool) {
	if k.hash.Algorithm != "sha256" || len(k.hash.Hex) != 64 {
		return "", false
	}
	if _, err := hex.DecodeString(k.hash.Hex); err != nil {
		return "", false
	}
	kind := "diff"
	if k.blob {
		kind = "blob"
	}
	return kind + "-sha256-" + strings.ToLower(k.hash.Hex) + "-" + fp, true
}

// encodeIndex stores a layer index; false when a capture cannot be
// stored, as a layer is stored whole or not at all.
func encodeIndex(idx *layerIndex, key string) ([]byte, bool) {
	var w packages.CaptureWriter
	w.String(key)
	w.Int(idx.uncompSize)
	w.Int(idx.compSize)
	w.Uint(uint64(len(idx.entries)))
	for i := range idx.entries {
		e := &idx.entries[i]
		w.String(e.path)
		w.Uint(uint64(e.kind))
		w.Uint(uint64(e.mode))
		w.Int(int64(e.uid))
		w.Int(int64(e.gid))
		w.Int(e.size)
		w.String(e.link)
		if e.kind == kindFile {
			w.Raw(e.sha[:])
		}
		w.Bool(e.unknown)
		w.Uint(uint64(e.exec))
		caps := e.captured()
		w.Uint(uint64(len(caps)))
		for _, c := range caps {
			w.Int(int64(c.cataloger))
			// Only the message of an error is ever shown (a warning), and
			// what came with it is never read: see squasher.result.
			w.Bool(c.err != nil)
			if c.err != nil {
				w.String(c.err.Error())
				continue
			}
			if !packages.EncodeCapture(&w, c.data) {
				return nil, false
			}
		}
	}
	return w.Bytes(), true
}

var errStored = errors.New("malformed stored layer index")

// decodeIndex reads what encodeIndex wrote. The bytes come from disk: it
// checks what the squash relies on (clean absolute paths, known kinds,
// cataloger indexes in range), as well as the reader's bounds.
func decodeIndex(data []byte, key string, ncats int) (*layerIndex, error) {
	r := packages.NewCaptureReader(data)
	if got := r.String(); got != key {
		return nil, fmt.Errorf("%w: stored for another key", errStored)
	}
	idx := &layerIndex{uncompSize: r.Int(), compSize: r.Int()}
	n := r.Count(8)
	idx.entries = make([]entry, n)
	for i := range idx.entries {
		e := &idx.entries[i]
		e.path = r.String()
		kind := r.Uint()
		e.mode = uint32(r.Uint())
		uid, gid := r.Int(), r.Int()
		e.size = r.Int()
		e.link = r.String()
		if kind > uint64(kindOpaque) || !cleanAbs(e.path) || e.mode > 0o7777 || uint64(uid) > math.MaxUint32 || uint64(gid) > math.MaxUint32 {
			r.Fail(fmt.Errorf("%w: entry %d", errStored, i))
			break
		}
		e.kind, e.uid, e.gid = entryKind(kind), uint32(uid), uint32(gid)
		if e.kind == kindHardlink && !cleanAbs(e.link) {
			r.Fail(fmt.Errorf("%w: hard link %d", errStored, i))
			break
		}
		if e.kind == kindFile {
			copy(e.sha[:], r.Raw(len(e.sha)))
		}
		e.unknown = r.Bool()
		if x := r.Uint(); x <= uint64(ExecutableScript) {
			e.exec = Executable(x)
		} else {
			r.Fail(fmt.Errorf("%w: entry %d", errStored, i))
			break
		}
		if nc := r.Count(2); nc > 0 {
			caps := make([]capture, nc)
			e.captures = &caps
			for j := range caps {
				if err := decodeCapture(r, &caps[j], ncats); err != nil {
					r.Fail(err)
					break
				}
			}
		}
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	if r.Len() != 0 {
		return nil, fmt.Errorf("%w: %d bytes left over", errStored, r.Len())
	}
	return idx, nil
}

func decodeCapture(r *packages.CaptureReader, c *capture, ncats int) error {
	cat := r.Int()
	if cat < captureDigests || cat >= int64(ncats) {
		return fmt.Errorf("%w: cataloger %d", errStored, cat)
	}
	c.cataloger = int(cat)
	if r.Bool() {
		c.err = errors.New(r.String())
		return r.Err()
	}
	data, err := packages.DecodeCapture(r)
	c.data = data
	return err
}

func cleanAbs(p string) bool {
	return strings.HasPrefix(p, "/") && path.Clean(p) == p
}

// recordDigests as the cache stores them.
func init() {
	packages.RegisterCapture("inventory.digests", func(w *packages.CaptureWriter, d *recordDigests) bool {
		if d == nil {
			return false
		}
		w.Raw(d.md5[:])
		w.Raw(d.sha1[:])
		return true
	}, func(r *packages.CaptureReader) *recordDigests {
		var d recordDigests
		copy(d.md5[:], r.Raw(len(d.md5)))
		copy(d.sha1[:], r.Raw(len(d.sha1)))
		return &d
	})
}
