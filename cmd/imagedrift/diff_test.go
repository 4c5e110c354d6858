package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/lint"
	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/report"
)

// fakeImages serves inventories by reference and fails the test on any
// other reference, like a strict fake of the image loader.
type fakeImages struct {
	t    *testing.T
	invs map[string]*inventory.Inventory
	got  loadOptions
	fail error // returned by load when set
}

func (f *fakeImages) load(_ context.Context, baseRef, headRef string, o loadOptions) (*inventory.Inventory, *inventory.Inventory, error) {
	f.got = o
	if f.fail != nil {
		return nil, nil, f.fail
	}
	base, ok1 := f.invs[baseRef]
	head, ok2 := f.invs[headRef]
	if !ok1 || !ok2 {
		f.t.Errorf("unexpected references %q %q", baseRef, headRef)
		return nil, nil, errors.New("no such image")
	}
	return base, head, nil
}

// useFakeImages makes the fake loader for runDiffCLI and moves to an
// empty directory, so that no configuration file is found by accident.
func useFakeImages(t *testing.T) *fakeImages {
	t.Helper()
	t.Chdir(t.TempDir())
	f := &fakeImages{t: t, invs: map[string]*inventory.Inventory{}}
	base, head := diffInventories()
	f.invs["registry.example/web:1"] = base
	f.invs["registry.example/web:2"] = head
	return f
}

// diffInventories are a Debian 12 image and its upgrade to 13 with a
// major bump of one package.
func diffInventories() (base, head *inventory.Inventory) {
	pkg := func(name, version string) packages.Package {
		return packages.Package{Ecosystem: "dpkg", Name: name, Version: version, Location: "/var/lib/dpkg/status", Arch: "amd64"}
	}
	file := func(path string, size int64, sha string) inventory.File {
		return inventory.File{Path: path, Type: inventory.TypeFile, Mode: 0o644, Size: size, SHA256: sha256.Sum256([]byte(sha))}
	}
	base = &inventory.Inventory{Ref: "registry.example/web:1", Digest: "sha256:" + strings.Repeat("1", 64),
		OS:       inventory.OS{ID: "debian", VersionID: "12", PrettyName: "Debian GNU/Linux 12 (bookworm)"},
		Layers:   []inventory.Layer{{Digest: "sha256:a", DiffID: "sha256:a", Size: 100}},
		Files:    []inventory.File{file("/etc/debian_version", 5, "a"), file("/usr/lib/libgcc_s.so.1", 100, "b")},
		Packages: []packages.Package{pkg("libgcc-s1", "12.2.0-14"), pkg("base-files", "12.4+deb12u10")},
	}
	head = &inventory.Inventory{Ref: "registry.example/web:2", Digest: "sha256:" + strings.Repeat("2", 64),
		OS:       inventory.OS{ID: "debian", VersionID: "13", PrettyName: "Debian GNU/Linux 13 (trixie)"},
		Layers:   []inventory.Layer{{Digest: "sha256:b", DiffID: "sha256:b", Size: 100}},
		Files:    []inventory.File{file("/etc/debian_version", 4, "c"), file("/usr/lib/libgcc_s.so.1", 110, "d")},
		Packages: []packages.Package{pkg("libgcc-s1", "14.2.0-19"), pkg("base-files", "12.4+deb12u11")},
	}
	return base, head
}

func (f *fakeImages) runDiffCLI(t *testing.T, tty bool, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), append([]string{"diff"}, args...), &deps{load: f.load},
		streams{In: strings.NewReader(""), Out: &out, Err: &errOut, OutTTY: tty, ErrTTY: tty})
	return code, out.String(), errOut.String()
}

func TestDiffFormats(t *testing.T) {
	f := useFakeImages(t)
	code, out, errOut := f.runDiffCLI(t, false, "registry.example/web:1", "registry.example/web:2")
	if code != 0 || !strings.Contains(out, "High risk") || !strings.Contains(out, "libgcc-s1") || errOut != "" {
		t.Errorf("text: exit %d, stdout:\n%s\nstderr: %s", code, out, errOut)
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("colour without a terminal")
	}
	// Flags after the references, as people type them.
	code, out, _ = f.runDiffCLI(t, false, "registry.example/web:1", "registry.example/web:2", "--format", "json")
	var r report.Report
	if err := json.Unmarshal([]byte(out), &r); code != 0 || err != nil {
		t.Fatalf("json: exit %d, %v\n%s", code, err, out)
	}
	if r.SchemaVersion != 1 || r.Tool.Version != version || len(r.Packages.Changed) != 2 || r.Verdict.Failed {
		t.Errorf("json report %+v", r)
	}
	code, out, _ = f.runDiffCLI(t, false, "--format=markdown", "registry.example/web:1", "registry.example/web:2")
	if code != 0 || !strings.HasPrefix(out, "### 🔴 High risk") || !strings.Contains(out, "<details>") {
		t.Errorf("markdown: exit %d\n%s", code, out)
	}
}

func TestDiffColour(t *testing.T) {
	f := useFakeImages(t)
	t.Setenv("NO_COLOR", "")
	if _, out, _ := f.runDiffCLI(t, true, "registry.example/web:1", "registry.example/web:2"); !strings.Contains(out, "\x1b[31m") {
		t.Errorf("no colour on a terminal:\n%s", out)
	}
	t.Setenv("NO_COLOR", "1")
	if _, out, _ := f.runDiffCLI(t, true, "registry.example/web:1", "registry.example/web:2"); strings.Contains(out, "\x1b[") {
		t.Error("colour despite NO_COLOR")
	}
}

func TestDiffOutputFile(t *testing.T) {
	f := useFakeImages(t)
	path := filepath.Join(t.TempDir(), "report.md")
	code, out, _ := f.runDiffCLI(t, true, "registry.example/web:1", "registry.example/web:2", "--format", "markdown", "--output", path)
	data, err := os.ReadFile(path)
	if code != 0 || out != "" || err != nil || !strings.Contains(string(data), "libgcc-s1") {
		t.Errorf("exit %d, stdout %q, file %q, %v", code, out, data, err)
	}
	code, _, errOut := f.runDiffCLI(t, false, "registry.example/web:1", "registry.example/web:2", "--output", filepath.Join(t.TempDir(), "no", "such", "dir", "x"))
	if code != 2 || !strings.Contains(errOut, "imagedrift: write ") {
		t.Errorf("unwritable output: exit %d, %s", code, errOut)
	}
}

func TestDiffFailOn(t *testing.T) {
	tests := []struct {
		name   string
		config string
		args   []string
		code   int
		stderr string
	}{
		{"level reached", "", []string{"--fail-on", "high"}, 1, "policy failed (--fail-on high): high: 1 risk (os-changed os)"},
		{"id", "", []string{"--fail-on", "major-bump"}, 1, "major-bump: 1 risk (major-bump dpkg:libgcc-s1)"},
		{"not reached", "", []string{"--fail-on", "setuid-added,lint:*"}, 0, ""},
		{"never", "", nil, 0, ""},
		{"from the config", "failOn: [major-bump]\n", nil, 1, "major-bump"},
		{"flag over config", "failOn: [major-bump]\n", []string{"--fail-on", "none"}, 0, ""},
		{"config levels", "risks:\n  levels: {os-changed: \"off\", major-bump: low}\n", []string{"--fail-on", "medium"}, 0, ""},
		{"config allows the bump", "failOn: major-bump\nrisks:\n  allowMajor: [\"dpkg:libgcc*\"]\n", nil, 0, ""},
		{"unknown id", "", []string{"--fail-on", "high,major-bmup"}, 2, `unknown risk id or level "major-bmup"`},
		{"unknown lint rule", "", []string{"--fail-on", "lint:no-such-rule"}, 2, `"lint:no-such-rule" names no lint rule`},
		{"bad config", "thresholds:\n  sizePercent: lots\n", nil, 2, "imagedrift.yml:2: thresholds.sizePercent: want a number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := useFakeImages(t)
			if tt.config != "" {
				if err := os.MkdirAll(".github", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(".github/imagedrift.yml", []byte(tt.config), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			args := append([]string{"registry.example/web:1", "registry.example/web:2", "--format", "json"}, tt.args...)
			code, out, errOut := f.runDiffCLI(t, false, args...)
			if code != tt.code || (tt.stderr == "") != (errOut == "") || !strings.Contains(errOut, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want %d, %q", code, errOut, tt.code, tt.stderr)
			}
			if code == 1 && !strings.Contains(out, `"failed": true`) {
				t.Errorf("the report was not written before failing:\n%s", out)
			}
		})
	}
}

func TestDiffConfigFlag(t *testing.T) {
	f := useFakeImages(t)
	cfg := filepath.Join(t.TempDir(), "drift.yml")
	if err := os.WriteFile(cfg, []byte("ignore:\n  packages: [libgcc-s1]\n  paths: [/usr/lib]\ncomment:\n  key: web\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := f.runDiffCLI(t, false, "--config", cfg, "--format", "markdown", "registry.example/web:1", "registry.example/web:2")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.HasPrefix(out, "<!-- imagedrift:web -->\n") || strings.Contains(out, "libgcc") {
		t.Errorf("config not applied:\n%s", out)
	}
	if code, _, errOut := f.runDiffCLI(t, false, "--config", "missing.yml", "registry.example/web:1", "registry.example/web:2"); code != 2 || !strings.Contains(errOut, "missing.yml") {
		t.Errorf("missing config: exit %d, %s", code, errOut)
	}
}

func TestDiffUsage(t *testing.T) {
	f := useFakeImages(t)
	tests := []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"registry.example/web:1"}, 2, "diff takes two image references"},
		{[]string{"a", "b", "c"}, 2, "got 3"},
		{[]string{"a", "b", "--format", "yaml"}, 2, `--format "yaml": want text, json or markdown`},
		{[]string{"a", "b", "--colour"}, 2, "flag provided but not defined: -colour"},
		{[]string{"-h"}, 0, "usage: imagedrift diff BASE HEAD"},
	}
	for _, tt := range tests {
		code, _, errOut := f.runDiffCLI(t, false, tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.stderr) {
			t.Errorf("%q: exit %d, stderr %q", tt.args, code, errOut)
		}
	}
}

func TestDiffLoadOptionsAndErrors(t *testing.T) {
	f := useFakeImages(t)
	f.runDiffCLI(t, false, "registry.example/web:1", "registry.example/web:2", "--platform", "linux/arm64", "--progress")
	if f.got.Platform != "linux/arm64" || f.got.Progress == nil {
		t.Errorf("load options %+v", f.got)
	}
	f.runDiffCLI(t, false, "registry.example/web:1", "registry.example/web:2")
	if f.got.Progress != nil {
		t.Error("progress without a terminal or --progress")
	}
	f.fail = errors.New(`registry:nope: fetch manifest: 404 Not Found`)
	code, out, errOut := f.runDiffCLI(t, false, "registry:nope", "registry.example/web:2")
	if code != 2 || out != "" || errOut != "imagedrift: registry:nope: fetch manifest: 404 Not Found\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestDiffSameImage(t *testing.T) {
	f := useFakeImages(t)
	code, out, _ := f.runDiffCLI(t, false, "registry.example/web:1", "registry.example/web:1", "--fail-on", "low")
	if code != 0 || !strings.Contains(out, "No changes") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestDiffDockerfile(t *testing.T) {
	f := useFakeImages(t)
	df := "FROM debian:trixie-slim\nRUN apt-get update && apt-get install -y curl\n"
	if err := os.WriteFile("Dockerfile", []byte(df), 0o644); err != nil {
		t.Fatal(err)
	}
	want, err := lint.Lint("Dockerfile", []byte(df), lint.Options{})
	if err != nil || len(want) == 0 {
		t.Fatalf("the linter finds nothing in the test Dockerfile (%v): pick another", err)
	}
	code, out, errOut := f.runDiffCLI(t, false, "registry.example/web:1", "registry.example/web:2", "--format", "json", "--dockerfile", "Dockerfile", "--fail-on", "lint:*")
	var r report.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v: %s", err, errOut)
	}
	if code != 1 || len(r.Lint) != len(want) || r.Lint[0].Rule != want[0].Rule {
		t.Errorf("exit %d, lint %+v, want %d findings", code, r.Lint, len(want))
	}
	if code, _, errOut := f.runDiffCLI(t, false, "registry.example/web:1", "registry.example/web:2", "--dockerfile", "nope/Dockerfile"); code != 2 || !strings.Contains(errOut, "Dockerfile") {
		t.Errorf("missing Dockerfile: exit %d, %s", code, errOut)
	}
}
