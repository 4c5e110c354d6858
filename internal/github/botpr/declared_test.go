package botpr

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/imagedrift/imagedrift/internal/diff"
	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/report"
	"github.com/imagedrift/imagedrift/internal/risk"

	goldenflag "github.com/imagedrift/imagedrift/internal/golden"
)

// npmChanges is what an image shows after the group-across.txt update
// whose lock file also moved two packages nobody declared.
func npmChanges() *diff.PackageChanges {
	loc := "/app/node_modules/"
	return &diff.PackageChanges{
		Changed: []diff.PackageChange{
			{Ecosystem: "npm", Name: "body-parser", Location: loc + "body-parser/package.json", From: "1.20.1", To: "1.20.2", Bump: packages.BumpPatch},
			{Ecosystem: "npm", Name: "braces", Location: loc + "braces/package.json", From: "3.0.2", To: "3.0.3", Bump: packages.BumpPatch},
			{Ecosystem: "npm", Name: "express", Location: loc + "express/package.json", From: "4.18.2", To: "4.19.2", Bump: packages.BumpMinor},
			{Ecosystem: "npm", Name: "ws", Location: loc + "ws/package.json", From: "7.5.9", To: "8.17.1", Bump: packages.BumpMajor},
		},
		Added: []packages.Package{
			{Ecosystem: "npm", Name: "cookie-signature", Version: "1.0.6", Location: loc + "cookie-signature/package.json"},
		},
	}
}

// changesOf lists package changes as a report has them: the one way
// changes reach Compare.
func changesOf(pc *diff.PackageChanges) []Change {
	r := report.Build(report.Input{Changes: &diff.Changes{Packages: *pc}})
	return ChangesFromReport(&r.Packages)
}

// The npm packages the lock file moved with the declared npm updates are
// low risks; a Debian package the Dockerfile's apt-get install drifted to
// is the undeclared change that matters.
func TestCompareUndeclared(t *testing.T) {
	title, msg := readMessage(t, "group-across.txt")
	d := Parse(Dependabot, title, msg, "")
	changes := append(changesOf(npmChanges()), Change{Ecosystem: "dpkg", Name: "curl", From: "7.88.1-10", To: "7.88.1-10+deb12u5",
		Bump: packages.BumpRevision, Origin: OriginImage, Where: "Dockerfile:4"})
	c := Compare(d, changes, []string{"node:20-bookworm-slim"})
	if !c.Checked {
		t.Fatal("a complete declaration was not checked")
	}
	var got []string
	for _, r := range c.Risks() {
		if r.ID != risk.UndeclaredChange {
			t.Errorf("risk %+v: want %s", r, risk.UndeclaredChange)
		}
		got = append(got, string(r.Level)+" "+r.Subject+": "+r.Message)
	}
	want := []string{
		"high dpkg:curl: 7.88.1-10 → 7.88.1-10+deb12u5 (revision), not among the updates Dependabot declares (braces, ws, express), from Dockerfile:4",
		"low npm:body-parser: 1.20.1 → 1.20.2 (patch), moved with the declared npm updates (resolved from the lock file)",
		"low npm:cookie-signature: added at 1.0.6, moved with the declared npm updates (resolved from the lock file)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("risks (-want +got):\n%s", diff)
	}
	// The bump level is the image's: ws went 7 → 8, a major bump, although
	// the title reads like a routine update.
	for _, m := range c.Matches {
		if m.Update.Name == "ws" && (len(m.Changes) != 1 || m.Changes[0].Bump != packages.BumpMajor) {
			t.Errorf("ws: %+v, want the image's major bump", m.Changes)
		}
	}
}

func TestCompare(t *testing.T) {
	osChange := Change{Ecosystem: "dpkg", Name: "libssl3", From: "3.0.11-1~deb12u2", To: "3.0.13-1~deb12u1", Bump: packages.BumpPatch}
	pyChange := Change{Ecosystem: "python", Name: "Jinja2", From: "3.1.3", To: "3.1.4", Bump: packages.BumpPatch}
	tests := []struct {
		name       string
		d          Declared
		changes    []Change
		bases      []string
		checked    bool
		undeclared []string
		osChanges  int
	}{
		{"nothing else changed", Declared{Updates: []Update{{Name: "jinja2"}}}, []Change{pyChange}, nil, true, nil, 0},
		{"pep 503 names", Declared{Updates: []Update{{Name: "JINJA2"}}}, []Change{pyChange}, nil, true, nil, 0},
		{"os packages undeclared", Declared{Updates: []Update{{Name: "jinja2"}}}, []Change{pyChange, osChange}, nil, true, []string{"libssl3"}, 0},
		{"base image accounts for os packages", Declared{Updates: []Update{{Name: "python"}}}, []Change{pyChange, osChange},
			[]string{"docker.io/library/python:3.12-slim@sha256:0123"}, true, []string{"Jinja2"}, 1},
		{"group not named", Declared{Group: "go-deps", Count: 5}, []Change{osChange}, nil, false, []string{"libssl3"}, 0},
		{"fewer names than announced", Declared{Count: 3, Updates: []Update{{Name: "jinja2"}}}, []Change{pyChange, osChange}, nil, false, []string{"libssl3"}, 0},
		{"ambiguous name matches", Declared{Ambiguous: true, Updates: []Update{{Name: "jinja2"}}}, []Change{pyChange, osChange}, nil, true, []string{"libssl3"}, 0},
		{"ambiguous name matches nothing", Declared{Ambiguous: true, Updates: []Update{{Name: "linters"}}}, []Change{osChange}, nil, false, []string{"libssl3"}, 0},
		{"renamed package", Declared{Updates: []Update{{Name: "libssl3"}}},
			[]Change{{Ecosystem: "dpkg", Name: "libssl3t64", PreviousName: "libssl3", From: "3.0.11-1", To: "3.0.13-1", Bump: packages.BumpPatch}}, nil, true, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Compare(tt.d, tt.changes, tt.bases)
			var got []string
			for _, u := range c.Undeclared {
				got = append(got, u.Name)
			}
			if c.Checked != tt.checked || len(c.Brought) != tt.osChanges || !cmp.Equal(got, tt.undeclared) {
				t.Errorf("checked %v, os changes %d, undeclared %q; want %v, %d, %q", c.Checked, len(c.Brought), got, tt.checked, tt.osChanges, tt.undeclared)
			}
			if n := len(c.Risks()); (n > 0) != (tt.checked && len(tt.undeclared) > 0) {
				t.Errorf("%d risks with checked %v and %d undeclared", n, tt.checked, len(tt.undeclared))
			}
		})
	}
}

func TestImageRepo(t *testing.T) {
	for ref, want := range map[string]string{
		"python:3.12-slim":                          "python",
		"docker.io/library/python:3.12@sha256:abcd": "python",
		"ghcr.io/acme/base:1.2":                     "ghcr.io/acme/base",
		"localhost:5000/app":                        "localhost:5000/app",
		"localhost:5000/app:v1":                     "localhost:5000/app",
		"Node":                                      "node",
	} {
		if got := imageRepo(ref); got != want {
			t.Errorf("imageRepo(%q) = %q, want %q", ref, got, want)
		}
	}
}

// TestSectionGolden pins the Markdown of the section.
func TestSectionGolden(t *testing.T) {
	title, msg := readMessage(t, "group-across.txt")
	npm := Compare(Parse(Dependabot, title, msg, ""), changesOf(npmChanges()), nil)
	title, msg = readMessage(t, "docker.txt")
	docker := Compare(Parse(Dependabot, title, msg, ""), []Change{
		{Ecosystem: "dpkg", Name: "libssl3", From: "3.0.11-1~deb12u2", To: "3.0.13-1~deb12u1", Bump: packages.BumpPatch},
		{Ecosystem: "python", Name: "pip", From: "23.2.1", To: "24.0", Bump: packages.BumpMajor},
	}, []string{"python:3.11-slim"})
	group := Compare(ParseTitle("Bump the go-deps group with 5 updates"), []Change{
		{Ecosystem: "go", Name: "golang.org/x/net", From: "v0.33.0", To: "v0.38.0", Bump: packages.BumpMinor},
	}, nil)
	hostile := Compare(Declared{Bot: Renovate, Group: "<img src=x>", Updates: []Update{
		{Name: "@org/team`|x", From: "1|2", To: "[x](https://evil.example)", UpdateType: "version-update:semver-patch"},
	}}, []Change{{Ecosystem: "npm", Name: "@org/team`|x", From: "1", To: "2", Bump: packages.Bump("<b>major</b>")}}, nil)
	// What Parse reads from Dependabot's digest update of golang (see
	// TestParseRecorded), beside what a rebuilt golang base brings.
	digest := Compare(Declared{Bot: Dependabot, Updates: []Update{{Name: "golang", From: "1.24.3", To: "1.24.3",
		FromDigest: "e84f2e8", ToDigest: "4c0a181", Type: "direct:production", UpdateType: "version-update:semver-patch"}}},
		[]Change{{Ecosystem: "dpkg", Name: "libc6", From: "2.36-9+deb12u9", To: "2.36-9+deb12u10", Bump: packages.BumpRevision}},
		[]string{"golang:1.24.3@sha256:e84f2e8"})
	across := Compare(Declared{Bot: Dependabot, Group: "go_modules", Directories: []string{"/a", "/b|c", "/d", "/e"}, Updates: []Update{
		{Name: "google.golang.org/protobuf", From: "1.30.0", To: "1.33.0", Group: "go_modules"},
		{Name: "google.golang.org/protobuf", From: "1.31.0", To: "1.33.0", Group: "go_modules"},
		{Name: "sha-only", ToDigest: "sha256:" + strings.Repeat("ab", 32)},
	}}, []Change{{Ecosystem: "go", Name: "google.golang.org/protobuf", From: "v1.31.0", To: "v1.33.0", Bump: packages.BumpMinor}}, nil)
	var b strings.Builder
	for _, c := range []*Comparison{npm, docker, group, hostile, digest, across} {
		s := c.Section()
		b.WriteString("#### " + s.Title + "\n\n" + s.Body + "\n---\n\n")
	}
	golden(t, "section.md", b.String())
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	goldenflag.Check(t, filepath.Join("testdata", name), []byte(got))
}

// The section goes through the report's Markdown as one of its extra
// sections, after the risks.
func TestSectionInReport(t *testing.T) {
	title, msg := readMessage(t, "group-across.txt")
	c := Compare(Parse(Dependabot, title, msg, ""), changesOf(npmChanges()), nil)
	pc := npmChanges()
	ch := &diff.Changes{Packages: *pc}
	risks, verdict := risk.Evaluate(ch, nil, risk.Policy{FailOn: []string{risk.UndeclaredChange}}, c.Risks()...)
	r := report.Build(report.Input{Changes: ch, Risks: risks, Verdict: verdict, Version: "test"})
	md := report.Markdown(r, report.MarkdownOptions{Extra: []report.Section{c.Section()}})
	risksAt, sectionAt := strings.Index(md, "#### Risks"), strings.Index(md, "#### "+SectionTitle)
	if risksAt < 0 || sectionAt < risksAt {
		t.Fatalf("section at %d, risks at %d:\n%s", sectionAt, risksAt, md)
	}
	if !verdict.Failed || !strings.Contains(md, "undeclared-change") {
		t.Errorf("fail-on undeclared-change did not fail: %+v", verdict)
	}
}

// Two updates of one name go each to the change of its own major line, by
// the version it replaces, whatever the order of the changes.
func TestCompareSameName(t *testing.T) {
	d := Declared{Bot: Dependabot, Updates: []Update{
		{Name: "picomatch", From: "2.3.1", To: "2.3.2"},
		{Name: "picomatch", From: "4.0.1", To: "4.0.2"},
	}}
	v4 := Change{Ecosystem: "npm", Name: "picomatch", From: "4.0.1", To: "4.0.2", Bump: packages.BumpPatch}
	v2 := Change{Ecosystem: "npm", Name: "picomatch", From: "2.3.1", To: "2.3.2", Bump: packages.BumpPatch}
	// A third copy that neither names: the closest major line, then the
	// first update, as one update of a name takes all its changes.
	v3 := Change{Ecosystem: "npm", Name: "picomatch", From: "3.0.1", To: "3.0.2", Bump: packages.BumpPatch}
	v4b := Change{Ecosystem: "npm", Name: "picomatch", From: "v4.0.0", To: "v4.0.2", Bump: packages.BumpPatch}
	c := Compare(d, []Change{v4, v2, v3, v4b}, nil)
	want := [][]Change{{v2, v3}, {v4, v4b}}
	for i, m := range c.Matches {
		if diff := cmp.Diff(want[i], m.Changes); diff != "" {
			t.Errorf("update %d (-want +got):\n%s", i, diff)
		}
	}
	if !c.Checked || len(c.Undeclared) != 0 {
		t.Errorf("checked %v, undeclared %v", c.Checked, c.Undeclared)
	}
	// Risks name the package once.
	c = Compare(d, []Change{v2, {Ecosystem: "python", Name: "left-pad", To: "1.3.0"}}, nil)
	if r := c.Risks(); len(r) != 1 || !strings.HasSuffix(r[0].Message, "declares (picomatch)") {
		t.Errorf("risks %+v", r)
	}
}

// A declared base-image update brings what changed in the base image's
// layers, one line for all; what changed in the layers the Dockerfile
// builds is drift, and an undeclared-change risk at its line. Without
// the Dockerfile, the report's base image and distribution name it.
func TestCompareByLayers(t *testing.T) {
	base := func(name string, b packages.Bump) Change {
		return Change{Ecosystem: "dpkg", Name: name, From: "1", To: "2", Bump: b, Origin: OriginBase, Where: "the base image"}
	}
	changes := []Change{
		base("libc6", packages.BumpMinor), base("libgcc-s1", packages.BumpMajor), base("tzdata", packages.BumpPatch),
		{Ecosystem: "dpkg", Name: "curl", From: "7.88.1-10", To: "7.88.1-10+deb12u5", Bump: packages.BumpRevision, Origin: OriginImage, Where: "Dockerfile:4"},
		{Ecosystem: "python", Name: "six", From: "1.16.0", To: "1.17.0", OwnedBy: "dpkg:python3-six", Origin: OriginImage, Where: "Dockerfile:4"},
	}
	d := Declared{Bot: Dependabot, Updates: []Update{{Name: "debian", From: "bookworm", To: "trixie"}}}
	for _, bases := range [][]string{{"debian:bookworm"}, {"docker.io/library/debian:trixie", "debian"}} {
		c := Compare(d, changes, bases)
		c.DecidedBy = "dockerfile"
		var undeclared []string
		for _, u := range c.Undeclared {
			undeclared = append(undeclared, u.Name)
		}
		if len(c.Brought) != 3 || !c.ByLayers || !cmp.Equal(undeclared, []string{"curl"}) || len(c.Moved) != 0 {
			t.Errorf("bases %q: brought %d, undeclared %q, moved %v", bases, len(c.Brought), undeclared, c.Moved)
		}
		if r := c.Risks(); len(r) != 1 || !strings.HasSuffix(r[0].Message, "from Dockerfile:4") || r[0].Level != risk.High {
			t.Errorf("risks %+v", r)
		}
		if s := c.Section().Body; !strings.Contains(s, "The `debian` update brings 3 package changes, 1 major, all in the base image's layers (told apart by lining the history up with the Dockerfile).") {
			t.Errorf("section:\n%s", s)
		}
	}
}
