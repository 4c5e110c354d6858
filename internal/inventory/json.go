package inventory

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
)

// Schema is the JSON Schema of the inventory document.
//
//go:embed inventory.schema.json
var Schema []byte

// WriteJSON writes inv as indented JSON. The file list is written one
// file at a time: encoding/json builds a whole document in memory before
// writing it, which for a million files is several times the inventory.
func WriteJSON(w io.Writer, inv *Inventory) error {
	if len(inv.Files) == 0 {
		return newEncoder(w, "").Encode(inv)
	}
	// The document without its files, whose empty list marks where they
	// go: "files" is the only key at the top level's indent that can be
	// followed by a bare "[]" (a label's value would be a string).
	rest := *inv
	rest.Files = []File{}
	var doc bytes.Buffer
	if err := newEncoder(&doc, "").Encode(&rest); err != nil {
		return err
	}
	const mark = "\n  \"files\": [],\n"
	at := bytes.Index(doc.Bytes(), []byte(mark))
	if at < 0 {
		return fmt.Errorf("encoding the inventory: no file list in %.80q", doc.String())
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(doc.Bytes()[:at+len(mark)-3]) // up to and with the "["
	var one bytes.Buffer
	enc := newEncoder(&one, "    ")
	for i := range inv.Files {
		one.Reset()
		if err := enc.Encode(&inv.Files[i]); err != nil {
			return err
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		bw.Write(bytes.TrimSuffix(one.Bytes(), []byte("\n")))
	}
	bw.WriteString("\n  ]")
	bw.Write(doc.Bytes()[at+len(mark)-2:]) // the "," and what follows
	return bw.Flush()
}

func newEncoder(w io.Writer, prefix string) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetIndent(prefix, "  ")
	enc.SetEscapeHTML(false)
	return enc
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
