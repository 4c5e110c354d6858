package diff

import (
	"reflect"
	"testing"

	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/packages"
)

// The Debian package python3-chardet removed with the Python package it
// ships, and an upgrade of node-semver with the npm packages it bundles:
// each language package is one change with its Debian package, and the
// files are summed per owner; what no package owns stays apart.
func TestCompareOwnership(t *testing.T) {
	base := &inventory.Inventory{Ownership: true, Packages: []packages.Package{
		{Ecosystem: "dpkg", Name: "node-semver", Version: "7.3.5-2", Location: "/var/lib/dpkg/status"},
		{Ecosystem: "dpkg", Name: "python3-chardet", Version: "5.1.0-2", Location: "/var/lib/dpkg/status"},
		{Ecosystem: "npm", Name: "semver", Version: "7.3.5", Location: "/usr/share/nodejs/semver/package.json", OwnedBy: "dpkg:node-semver"},
		{Ecosystem: "python", Name: "chardet", Version: "5.1.0", Location: "/usr/lib/python3/dist-packages/chardet-5.1.0.dist-info/METADATA", OwnedBy: "dpkg:python3-chardet"},
		{Ecosystem: "python", Name: "six", Version: "1.16.0", Location: "/usr/lib/python3/dist-packages/six.egg-info", OwnedBy: "dpkg:python3-six"},
	}, Files: []inventory.File{
		{Path: "/usr/lib/python3/dist-packages/chardet/a.py", Type: inventory.TypeFile, Size: 100, SHA256: contentDigest("a"), Owners: []int{1, 3}},
		{Path: "/usr/lib/python3/dist-packages/chardet/b.py", Type: inventory.TypeFile, Size: 50, SHA256: contentDigest("b"), Owners: []int{1, 3}},
		{Path: "/usr/share/nodejs/semver/index.js", Type: inventory.TypeFile, Size: 10, SHA256: contentDigest("c"), Owners: []int{0, 2}},
	}}
	head := &inventory.Inventory{Ownership: true, Packages: []packages.Package{
		{Ecosystem: "dpkg", Name: "node-semver", Version: "7.6.1-2", Location: "/var/lib/dpkg/status", Layer: 1},
		{Ecosystem: "npm", Name: "semver", Version: "7.6.1", Location: "/usr/share/nodejs/semver/package.json", OwnedBy: "dpkg:node-semver", Layer: 1},
		{Ecosystem: "python", Name: "six", Version: "1.17.0", Location: "/usr/lib/python3/dist-packages/six.egg-info", OwnedBy: "dpkg:python3-six"},
	}, Files: []inventory.File{
		{Path: "/usr/local/bin/tool", Type: inventory.TypeFile, Size: 1000, SHA256: contentDigest("d"), Executable: inventory.ExecutableELF},
		{Path: "/usr/share/nodejs/semver/index.js", Type: inventory.TypeFile, Size: 12, SHA256: contentDigest("e"), Owners: []int{0, 1}, Layer: 1},
	}}
	ch := Compare(base, head, Options{})
	var owned []string
	for _, c := range ch.Packages.Changed {
		owned = append(owned, c.Ecosystem+":"+c.Name+" ← "+c.OwnedBy)
	}
	for _, p := range ch.Packages.Removed {
		owned = append(owned, p.Ecosystem+":"+p.Name+" ← "+p.OwnedBy)
	}
	// python3-six did not change: six is a change of its own.
	want := []string{"dpkg:node-semver ← ", "npm:semver ← dpkg:node-semver", "python:six ← ", "dpkg:python3-chardet ← ", "python:chardet ← dpkg:python3-chardet"}
	if !reflect.DeepEqual(owned, want) {
		t.Errorf("folded\n got %q\nwant %q", owned, want)
	}
	if c := ch.Packages.Changed[0]; c.Layer != 1 {
		t.Errorf("layer of %s: %d", c.Name, c.Layer)
	}
	wantOwners := []OwnerCounts{
		{Owner: "dpkg:python3-chardet", Counts: Counts{Removed: 2, SizeDelta: -150}},
		{Owner: "dpkg:node-semver", Counts: Counts{Modified: 1, SizeDelta: 2}},
	}
	if !reflect.DeepEqual(ch.Files.Owners, wantOwners) {
		t.Errorf("owners\n got %+v\nwant %+v", ch.Files.Owners, wantOwners)
	}
	byPath := map[string]string{}
	for _, e := range ch.Files.Entries {
		byPath[e.Path] = e.Owner
	}
	if byPath["/usr/local/bin/tool"] != "" || byPath["/usr/share/nodejs/semver/index.js"] != "dpkg:node-semver" {
		t.Errorf("entry owners %v", byPath)
	}
	if ch.Ownership != [2]bool{true, true} {
		t.Errorf("ownership %v", ch.Ownership)
	}
}

// Owner indexes come from files: out of range, they name nothing.
func TestCompareOwnersOutOfRange(t *testing.T) {
	head := &inventory.Inventory{Files: []inventory.File{{Path: "/x", Type: inventory.TypeFile, Owners: []int{-1, 7}}}}
	ch := Compare(&inventory.Inventory{}, head, Options{})
	if len(ch.Files.Entries) != 1 || ch.Files.Entries[0].Owner != "" {
		t.Errorf("%+v", ch.Files.Entries)
	}
}

// Images without a base (single layers naming none) never change base.
func TestCompareNoBase(t *testing.T) {
	one := func(id string) *inventory.Inventory {
		return &inventory.Inventory{Layers: []inventory.Layer{{DiffID: id}}, Files: []inventory.File{{Path: "/" + id, Type: inventory.TypeFile}}}
	}
	if bi := Compare(one("a"), one("b"), Options{}).BaseImage; bi.Changed {
		t.Errorf("single layers: %+v", bi)
	}
	two := func(id string) *inventory.Inventory {
		return &inventory.Inventory{Layers: []inventory.Layer{{DiffID: id}, {DiffID: "top"}}, Files: []inventory.File{{Path: "/" + id, Type: inventory.TypeFile}}}
	}
	if bi := Compare(two("a"), two("b"), Options{}).BaseImage; !bi.Changed || bi.Source != BaseFromLayers {
		t.Errorf("different bottom layers: %+v", bi)
	}
}
