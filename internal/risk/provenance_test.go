package risk

import (
	"reflect"
	"testing"

	"github.com/imagedrift/imagedrift/internal/diff"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/origin"
	"github.com/imagedrift/imagedrift/internal/packages"
)

// What a Dockerfile that COPYs a static binary, edits packaged files with
// sed and pip-installs outside dpkg leaves behind, one risk each at the
// instruction's line; and a Python package that came with its Debian
// package raises nothing of its own.
func TestEvaluateProvenance(t *testing.T) {
	file := func(layer int32, exec inventory.Executable, modified, conffile bool) inventory.File {
		return inventory.File{Type: inventory.TypeFile, Layer: layer, Executable: exec, Modified: modified, Conffile: conffile}
	}
	ch := &diff.Changes{
		Ownership: [2]bool{true, true},
		Origins: [2]origin.Side{{}, {Dockerfile: "Dockerfile", Layers: []origin.Layer{{Kind: origin.Base},
			{Kind: origin.Instruction, Line: 4, Instruction: "COPY tool /usr/local/bin/"},
			{Kind: origin.Instruction, Line: 5, Instruction: "RUN sed -i s/a/b/ /usr/share/x /etc/x.conf"},
			{Kind: origin.Instruction, Line: 6, Instruction: "RUN pip install requests"}}}},
		Packages: diff.PackageChanges{
			Changed: []diff.PackageChange{
				{Ecosystem: "dpkg", Name: "python3-six", From: "1.16.0-4", To: "2.0.0-1", Bump: packages.BumpMajor},
				{Ecosystem: "python", Name: "six", From: "1.16.0", To: "2.0.0", Bump: packages.BumpMajor, OwnedBy: "dpkg:python3-six"},
			},
			Removed: []packages.Package{
				{Ecosystem: "dpkg", Name: "python3-chardet", Version: "5.1.0"},
				{Ecosystem: "python", Name: "chardet", Version: "5.1.0", OwnedBy: "dpkg:python3-chardet"},
			},
		},
		Files: diff.FileChanges{Entries: []diff.FileChange{
			{Path: "/usr/local/bin/tool", Kind: diff.Added, After: file(1, inventory.ExecutableELF, false, false)},
			{Path: "/usr/local/bin/pip-tool", Kind: diff.Added, After: file(3, inventory.ExecutableScript, false, false), Owner: "python:requests"},
			{Path: "/usr/share/x", Kind: diff.Modified, After: file(2, inventory.ExecutableNone, true, false), Owner: "dpkg:x"},
			{Path: "/etc/x.conf", Kind: diff.Modified, After: file(2, inventory.ExecutableNone, true, true), Owner: "dpkg:x"},
			{Path: "/usr/lib/python3/dist-packages/requests/api.py", Kind: diff.Added, After: file(3, inventory.ExecutableNone, false, false), Owner: "python:requests"},
			{Path: "/usr/bin/gone", Kind: diff.Removed, Before: file(0, inventory.ExecutableELF, true, false)},
			{Path: "/srv/run.sh", Kind: diff.Metadata, After: file(1, inventory.ExecutableScript, false, false)},
		}},
	}
	risks, _ := Evaluate(ch, nil, DefaultPolicy())
	var got []string
	for _, r := range risks {
		got = append(got, string(r.Level)+" "+r.ID+" "+r.Subject+": "+r.Message)
	}
	want := []string{
		"medium major-bump dpkg:python3-six: major version bump 1.16.0-4 → 2.0.0-1",
		"medium unowned-executable /usr/local/bin/tool: ELF executable added that no package installed, from Dockerfile:4",
		"medium package-file-modified /usr/share/x: content differs from what dpkg:x installed, from Dockerfile:5",
		"low conffile-modified /etc/x.conf: configuration file of dpkg:x edited, from Dockerfile:5",
		"low package-removed dpkg:python3-chardet: removed (was 5.1.0)",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("risks\n got %q\nwant %q", got, want)
	}
	// Without ownership (an inventory written before it was recorded),
	// every file would look unowned: nothing is raised.
	ch.Ownership[1] = false
	risks, _ = Evaluate(ch, nil, DefaultPolicy())
	for _, r := range risks {
		if r.ID == UnownedExecutable {
			t.Errorf("raised without ownership: %+v", r)
		}
	}
}
