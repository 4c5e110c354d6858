package osvcache

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/imagedrift/imagedrift/internal/vulns/osv"
	"github.com/ossf/osv-schema/bindings/go/osvschema"
)

// Dir is a record cache in a directory. An entry is keyed by the record
// id and by the modified time the API gave with it: the time is only
// compared for equality, never ordered (copies of Go records carry zero
// dates, and a database may rewrite a record with an older stamp). Writes
// go to a temporary file renamed into place, so a reader sees a whole
// entry or none; an entry that does not read back (truncated, damaged,
// another id, another time) is a miss, and the caller fetches the record
// again and overwrites it. A nil *Dir caches nothing.
type Dir struct {
	path string
}

// Open returns the cache in path, creating the directory.
func Open(path string) (*Dir, error) {
	if err := os.MkdirAll(path, 0o700); err != nil {
		return nil, fmt.Errorf("open OSV record cache: %w", err)
	}
	return &Dir{path: path}, nil
}

// entry is the file format: the record as the API served it, with the
// key it was stored under.
type entry struct {
	ID       string          `json:"id"`
	Modified string          `json:"modified"`
	Record   json.RawMessage `json:"record"`
}

// Get returns the cached record for id at modified, if there is a valid
// one.
func (d *Dir) Get(id, modified string) (*osvschema.Vulnerability, bool) {
	name, ok := fileName(id)
	if d == nil || !ok || modified == "" {
		return nil, false
	}
	f, err := os.Open(filepath.Join(d.path, name))
	if err != nil {
		return nil, false
	}
	defer f.Close()
	b, err := osv.ReadAll(f, osv.MaxRecordSize+4096)
	if err != nil {
		return nil, false
	}
	var e entry
	if json.Unmarshal(b, &e) != nil || e.ID != id || e.Modified != modified {
		return nil, false
	}
	v, err := osv.Decode(e.Record)
	if err != nil || v.GetId() != id {
		return nil, false
	}
	return v, true
}

// Put stores the record data (the JSON the API served) for id at
// modified. Ids that cannot be a file name and records without a
// modified time are not cached.
func (d *Dir) Put(id, modified string, data []byte) error {
	name, ok := fileName(id)
	if d == nil || !ok || modified == "" {
		return nil
	}
	if !json.Valid(data) {
		return fmt.Errorf("cache OSV record %s: not JSON", id)
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(entry{ID: id, Modified: modified, Record: data}); err != nil {
		return fmt.Errorf("cache OSV record %s: %w", id, err)
	}
	tmp, err := os.CreateTemp(d.path, ".tmp-*")
	if err != nil {
		return fmt.Errorf("cache OSV record %s: %w", id, err)
	}
	_, err = tmp.Write(buf.Bytes())
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(d.path, name))
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("cache OSV record %s: %w", id, err)
	}
	return nil
}

// fileName escapes an id into one safe file name: letters, digits, "-",
// "_" and inner "." stay, every other byte becomes %XX (Red Hat ids hold
// a colon). Ids longer than 200 bytes are not cached.
func fileName(id string) (string, bool) {
	if id == "" || len(id) > 200 {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.' && i > 0:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String() + ".json", true
}
