package cargo

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// maxJSON bounds the inflated audit data; cargo-auditable's own parsers
// use the same limit, far above any real dependency list.
const maxJSON = 8 << 20

// Audit is what the extractor keeps of a cargo-auditable executable: its
// runtime crates (build-time ones are not in the binary) and the root.
type Audit struct {
	Root   string
	Crates []Crate
}

// Crate is one package of the dependency list.
type Crate struct {
	Name, Version string
	Root          bool
}

// versionInfo is cargo-auditable's JSON (format 0 and later, which only
// add fields); dependency edges are not needed here.
type versionInfo struct {
	Packages []struct {
		Name    string `json:"name"`
		Version string `json:"version"`
		Kind    string `json:"kind"`
		Root    bool   `json:"root"`
	} `json:"packages"`
}

// decodeAudit inflates and decodes the content of a .dep-v0 section.
func decodeAudit(data []byte) (*Audit, error) {
	zr, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("zlib: %w", err)
	}
	js, err := io.ReadAll(io.LimitReader(zr, maxJSON+1))
	if err != nil {
		return nil, fmt.Errorf("zlib: %w", err)
	}
	if len(js) > maxJSON {
		return nil, fmt.Errorf("inflates to more than %d bytes", maxJSON)
	}
	var vi versionInfo
	if err := json.Unmarshal(js, &vi); err != nil {
		return nil, fmt.Errorf("JSON: %w", err)
	}
	if vi.Packages == nil {
		return nil, errors.New("JSON has no packages list")
	}
	a := &Audit{}
	for _, p := range vi.Packages {
		if p.Name == "" || p.Version == "" {
			return nil, fmt.Errorf("package %q with version %q: name and version are required", p.Name, p.Version)
		}
		if p.Kind == "build" {
			continue
		}
		if p.Root && a.Root == "" {
			a.Root = p.Name
		}
		a.Crates = append(a.Crates, Crate{Name: p.Name, Version: p.Version, Root: p.Root})
	}
	return a, nil
}
