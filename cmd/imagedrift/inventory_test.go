package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/imagedrift/imagedrift/internal/inventory"
)

// TestInventoryExampleImage runs `imagedrift inventory` on an example image
// in both formats: the JSON matches its schema and reads back, the text
// lists the packages per ecosystem.
func TestInventoryExampleImage(t *testing.T) {
	img := filepath.Join("..", "..", "testdata", "images", "head.tar")
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"inventory", img, "--format", "json"}, defaultDeps(), streams{Out: &out, Err: &errb}); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	c := jsonschema.NewCompiler()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(inventory.Schema))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("inventory.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("inventory.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("inventory JSON does not match its schema: %v", err)
	}
	inv, err := inventory.Load(bytes.NewReader(out.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	eco := map[string]int{}
	for _, p := range inv.Packages {
		eco[p.Ecosystem]++
	}
	if eco["dpkg"] == 0 || eco["python"] == 0 || eco["npm"] == 0 {
		t.Errorf("packages per ecosystem = %v, want dpkg, python and npm", eco)
	}

	out.Reset()
	if code := run(context.Background(), []string{"inventory", img}, defaultDeps(), streams{Out: &out, Err: &errb}); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"os        Debian GNU/Linux 12 (bookworm)", "\ndpkg (", "\npython (", "python3-six", "1.17.0-1"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("text output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestInventoryErrors: bad references exit 2 with one line naming them.
func TestInventoryErrors(t *testing.T) {
	for _, args := range [][]string{
		{"inventory", "testdata/does-not-exist.tar"},
		{"inventory", "inventory:testdata/does-not-exist.json"},
		{"inventory", filepath.Join("..", "..", "README.md")},
	} {
		var out, errb bytes.Buffer
		code := run(context.Background(), args, defaultDeps(), streams{Out: &out, Err: &errb})
		msg := errb.String()
		if code != 2 || strings.Count(msg, "\n") != 1 || !strings.HasPrefix(msg, "imagedrift: ") || !strings.Contains(msg, strings.TrimPrefix(args[1], "inventory:")) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and one line naming the reference", args, code, msg)
		}
	}
}
