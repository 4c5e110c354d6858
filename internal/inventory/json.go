package inventory

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
)

// Schema is the JSON Schema of the inventory document.
//
//go:embed inventory.schema.json
var Schema []byte

// WriteJSON writes inv as indented JSON.
func WriteJSON(w io.Writer, inv *Inventory) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(inv)
}

// maxInventoryJSON bounds what Load reads: an inventory of a million
// files is well under this.
const maxInventoryJSON = 2 << 30

// Load reads an inventory written by WriteJSON (the "inventory:PATH"
// reference), of this schema version or version 1, which had no
// ownership (Inventory.Ownership stays false). It rejects other versions
// rather than guess.
func Load(r io.Reader) (*Inventory, error) {
	dec := json.NewDecoder(io.LimitReader(r, maxInventoryJSON))
	dec.DisallowUnknownFields()
	var inv Inventory
	if err := dec.Decode(&inv); err != nil {
		return nil, fmt.Errorf("not an imagedrift inventory: %w", err)
	}
	if inv.SchemaVersion != SchemaVersion && inv.SchemaVersion != 1 {
		return nil, fmt.Errorf("inventory schemaVersion %d, this imagedrift reads 1 and %d", inv.SchemaVersion, SchemaVersion)
	}
	return &inv, nil
}
