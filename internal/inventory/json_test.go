package inventory

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/imagedrift/imagedrift/internal/golden"
)

// validateSchema checks doc against the inventory JSON Schema.
func validateSchema(t *testing.T, doc []byte) {
	t.Helper()
	c := jsonschema.NewCompiler()
	s, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("inventory.schema.json", s); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("inventory.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("inventory JSON does not match its schema: %v", err)
	}
}

func TestJSONGoldenSchemaAndRoundTrip(t *testing.T) {
	l1 := layerOf(t,
		dir("etc/"), sym("etc/os-release", "../usr/lib/os-release"),
		reg("usr/lib/os-release", "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"),
		reg("bin/busybox", "BUSYBOX"),
		tf{name: "dev/null", typ: tar.TypeChar, mode: 0o666},
	)
	l2 := layerOf(t, hard("bin/ls", "bin/busybox"), tf{name: "usr/bin/passwd", typ: tar.TypeReg, body: "P", mode: 0o4755, uid: 0, gid: 0},
		whiteout("etc/.wh.nothing"))
	inv, err := inventoryOf(t, imageOf(t, l1, l2), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, inv); err != nil {
		t.Fatal(err)
	}
	validateSchema(t, buf.Bytes())
	golden.Check(t, filepath.Join("testdata", "synthetic.inventory.json"), buf.Bytes())
	back, err := Load(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, inv) {
		t.Errorf("Load(WriteJSON(inv)) differs from inv")
	}
}

func TestLoadRejects(t *testing.T) {
	for name, doc := range map[string]string{
		"other version": `{"schemaVersion": 3}`,
		"not json":      `<html>`,
		"unknown field": `{"schemaVersion": 1, "surprise": true}`,
	} {
		if _, err := Load(bytes.NewReader([]byte(doc))); err == nil {
			t.Errorf("%s: Load accepted %s", name, doc)
		}
	}
}

// WriteJSON streams the file list; what it writes is what encoding/json
// writes of the whole document at once.
func TestWriteJSONStreamsSameBytes(t *testing.T) {
	inv := &Inventory{SchemaVersion: SchemaVersion, Ref: "a<b>&c",
		Config:      Config{Labels: map[string]string{"files": "[]", "x": "\u2028"}},
		Annotations: map[string]string{"files": "[]"},
		Files: []File{
			{Path: "/", Type: TypeDir, Mode: 0o755},
			{Path: "/a <&> \u00e9\"\\", Type: TypeFile, Size: 3, SHA256: sha("ab"), Owners: []int{0, 2}, Modified: true},
			{Path: "/l", Type: TypeSymlink, Link: "a"},
			{Path: "/h\n      \"layer\": 1", Type: TypeFile, Mode: 0o4755, UID: 1<<32 - 1, GID: 7, Size: 1 << 40,
				Link: "/\"layer\"", HardLink: true, SHA256: sha("h"), Layer: 1<<31 - 1, Owners: []int{1},
				Executable: ExecutableScript, Modified: true, Conffile: true},
			{Path: "/unknown\xff\u2028", Type: TypeFile, Link: "/gone", HardLink: true, Layer: 2},
			{Path: "/e", Type: TypeFile, SHA256: sha(""), Executable: ExecutableELF},
			{Path: "/d", Type: TypeFifo, Owners: []int{}},
		},
		Warnings: nil,
	}
	for _, files := range [][]File{inv.Files, inv.Files[:1], inv.Files[3:4], {}, nil} {
		inv.Files = files
		var want, got bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(inv); err != nil {
			t.Fatal(err)
		}
		if err := WriteJSON(&got, inv); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%d files: streamed\n%s\nwant\n%s", len(files), got.String(), want.String())
		}
	}
	inv.Files = []File{{Path: "/", Type: TypeFifo + 1}}
	if err := WriteJSON(io.Discard, inv); err == nil {
		t.Errorf("a file of type %d written", TypeFifo+1)
	}
}

// The compact fields of File are written as the strings they were: a
// digest as lowercase hex, omitted when unknown; types and executable
// kinds by name.
func TestFileFieldsText(t *testing.T) {
	for _, content := range []string{"", "x"} {
		sum := sha256.Sum256([]byte(content))
		d := Digest(sum)
		text, err := d.MarshalText()
		if want := hex.EncodeToString(sum[:]); err != nil || string(text) != want || d.String() != want {
			t.Errorf("%q: %s (%v), String %s, want %s", content, text, err, d.String(), want)
		}
		var back Digest
		if err := back.UnmarshalText(text); err != nil || back != d {
			t.Errorf("%q: read back %x (%v)", content, back, err)
		}
	}
	for _, bad := range []string{"", "ab", strings.Repeat("g", 64), strings.Repeat("a", 66)} {
		var d Digest
		if err := d.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("digest %q accepted", bad)
		}
	}
	if s := (Digest{}).String(); s != "" {
		t.Errorf("no digest prints as %q", s)
	}
	for name, f := range map[string]File{
		`{"path":"/x","type":"file","mode":0,"uid":0,"gid":0,"hardLink":true,"layer":0}`: {Path: "/x", Type: TypeFile, HardLink: true},
		`{"path":"/x","type":"file","mode":0,"uid":4294967295,"gid":1,"sha256":"2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881","layer":3,"executable":"script"}`: {
			Path: "/x", Type: TypeFile, UID: 4294967295, GID: 1, SHA256: sha("x"), Layer: 3, Executable: ExecutableScript},
	} {
		got, err := json.Marshal(&f)
		if err != nil || string(got) != name {
			t.Errorf("%+v: %s (%v), want %s", f, got, err, name)
		}
		var back File
		if err := json.Unmarshal(got, &back); err != nil || !reflect.DeepEqual(back, f) {
			t.Errorf("%s read back as %+v (%v)", got, back, err)
		}
	}
	for typ := TypeFile; typ <= TypeFifo; typ++ {
		text, err := typ.MarshalText()
		var back Type
		if err != nil || back.UnmarshalText(text) != nil || back != typ || string(text) != typ.String() || typ.String() == "" {
			t.Errorf("type %d: %q (%v), read back as %d", typ, text, err, back)
		}
	}
	for x := ExecutableELF; x <= ExecutableScript; x++ {
		text, err := x.MarshalText()
		var back Executable
		if err != nil || back.UnmarshalText(text) != nil || back != x || string(text) != x.String() || x.String() == "" {
			t.Errorf("executable %d: %q (%v), read back as %d", x, text, err, back)
		}
	}
	var typ Type
	if err := typ.UnmarshalText([]byte("socket")); err == nil {
		t.Errorf("type socket accepted")
	}
	if _, err := Type(TypeFifo + 1).MarshalText(); err == nil {
		t.Errorf("type %d written", TypeFifo+1)
	}
}
