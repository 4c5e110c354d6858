package osvdb

import (
	"archive/zip"
	"encoding/json"
	"fmt"

	"os"
	"strings"
	"sync"

	"github.com/imagedrift/imagedrift/internal/vulns/osv"
	"github.com/ossf/osv-schema/bindings/go/osvschema"
)

// index maps the package names of one ecosystem's records to the zip
// entries holding them; records are decoded when first asked for.
type index struct {
	file   *os.File
	err    error
	limit  int64 // inflated bytes per record
	byName map[string][]*zip.File

	mu      sync.Mutex
	decoded map[*zip.File]*osvschema.Vulnerability
}

// names is what the scan decodes of each record: encoding/json skips the
// rest without building it.
type names struct {
	Affected []struct {
		Package *struct {
			Ecosystem string `json:"ecosystem"`
			Name      string `json:"name"`
		} `json:"package"`
	} `json:"affected"`
}

// build scans every ".json" entry (as osv-scalibr does; other entries are
// skipped) and indexes it under the names of its affected packages that
// belong to base. Exceeding a limit or an entry that cannot be read
// fails the ecosystem: a silently dropped record would read as "not
// vulnerable".
func (ix *index) build(zr *zip.Reader, base string, l Limits) error {
	if len(zr.File) > l.MaxEntries {
		return fmt.Errorf("%d entries, more than %d", len(zr.File), l.MaxEntries)
	}
	ix.limit = l.MaxEntrySize
	ix.byName = map[string][]*zip.File{}
	ix.decoded = map[*zip.File]*osvschema.Vulnerability{}
	var total int64
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".json") || f.FileInfo().IsDir() {
			continue
		}
		data, err := readEntry(f, l.MaxEntrySize)
		if err != nil {
			return err
		}
		if total += int64(len(data)); total > l.MaxTotal {
			return fmt.Errorf("more than %d bytes inflated: %w", l.MaxTotal, osv.ErrTooLarge)
		}
		var n names
		if err := json.Unmarshal(data, &n); err != nil {
			return fmt.Errorf("entry %s: %w", f.Name, err)
		}
		seen := map[string]bool{}
		for _, a := range n.Affected {
			if a.Package == nil || osv.BaseEcosystem(a.Package.Ecosystem) != base {
				continue
			}
			if k := key(a.Package.Name); !seen[k] {
				seen[k] = true
				ix.byName[k] = append(ix.byName[k], f)
			}
		}
	}
	return nil
}

func readEntry(f *zip.File, limit int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("entry %s: %w", f.Name, err)
	}
	defer rc.Close()
	data, err := osv.ReadAll(rc, limit)
	if err != nil {
		return nil, fmt.Errorf("entry %s: %w", f.Name, err)
	}
	return data, nil
}

// key folds a name coarsely (case, and the separators "-", "_", ".") so
// that the index finds every spelling an ecosystem treats as one name;
// the engine then matches names exactly under the ecosystem's rules.
func key(name string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '-', '_', '.':
			return -1
		}
		return r
	}, strings.ToLower(name))
}

// lookup decodes the records indexed under name, each once.
func (ix *index) lookup(name string) ([]*osvschema.Vulnerability, error) {
	files := ix.byName[key(name)]
	ix.mu.Lock()
	defer ix.mu.Unlock()
	var out []*osvschema.Vulnerability
	for _, f := range files {
		v, ok := ix.decoded[f]
		if !ok {
			data, err := readEntry(f, ix.limit)
			if err == nil {
				v, err = osv.Decode(data)
			}
			if err != nil {
				return nil, fmt.Errorf("offline OSV database: %w", err)
			}
			ix.decoded[f] = v
		}
		out = append(out, v)
	}
	return out, nil
}
