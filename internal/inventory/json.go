package inventory

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
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
	var plain fileJSON
	var hexSum [2 * sha256.Size]byte
	for i := range inv.Files {
		f := &inv.Files[i]
		one.Reset()
		// What MarshalText would refuse.
		if int(f.Type) >= len(typeNames) || int(f.Executable) >= len(executableNames) {
			return fmt.Errorf("encoding %s: type %d, executable kind %d", f.Path, f.Type, f.Executable)
		}
		plain = fileJSON{Path: f.Path, Type: f.Type.String(), Mode: f.Mode, UID: f.UID, GID: f.GID,
			Size: f.Size, Link: f.Link, HardLink: f.HardLink, Layer: f.Layer, Owners: f.Owners,
			Executable: f.Executable.String(), Modified: f.Modified, Conffile: f.Conffile}
		if err := enc.Encode(&plain); err != nil {
			return err
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		b := bytes.TrimSuffix(one.Bytes(), []byte("\n"))
		if !f.SHA256.IsZero() {
			// The digest goes right before "layer", which every file
			// has. A newline followed by the indent is never part of a
			// value: encoding/json escapes newlines in strings.
			at := bytes.Index(b, []byte(layerLine))
			if at < 0 {
				return fmt.Errorf("encoding %s: no layer in %.80q", f.Path, b)
			}
			hex.Encode(hexSum[:], f.SHA256[:])
			bw.Write(b[:at])
			bw.WriteString(sha256Line)
			bw.Write(hexSum[:])
			bw.WriteString(`",`)
			b = b[at:]
		}
		bw.Write(b)
	}
	bw.WriteString("\n  ]")
	bw.Write(doc.Bytes()[at+len(mark)-2:]) // the "," and what follows
	return bw.Flush()
}

// fileJSON is File as WriteJSON encodes it, with the fields that File
// holds as numbers and encodes with MarshalText as the strings they name:
// a marshaler's text is a new allocation for each file, garbage that for
// a million files pushes the peak of the heap up by a hundred megabytes.
// The digest, when there is one, is spliced in as hex (see WriteJSON).
// The order and options of the fields are File's.
type fileJSON struct {
	Path       string `json:"path"`
	Type       string `json:"type"`
	Mode       uint32 `json:"mode"`
	UID        uint32 `json:"uid"`
	GID        uint32 `json:"gid"`
	Size       int64  `json:"size,omitempty"`
	Link       string `json:"link,omitempty"`
	HardLink   bool   `json:"hardLink,omitempty"`
	Layer      int32  `json:"layer"`
	Owners     []int  `json:"owners,omitempty"`
	Executable string `json:"executable,omitempty"`
	Modified   bool   `json:"modified,omitempty"`
	Conffile   bool   `json:"conffile,omitempty"`
}

// The lines of a file's "layer" and "sha256", as the file list's indent
// puts them.
const (
	layerLine  = "\n      \"layer\": "
	sha256Line = "\n      \"sha256\": \""
)

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
