package drift

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/golden"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/report"
)

// deployed and rebuilt are the image in production and a fresh build of
// the same commit a week later: the base tag moved, apt took a newer
// libc, pip a newer requests, a downloaded file changed, and the build
// date label moved (which is not drift).
func deployed() (ref, fresh *inventory.Inventory) {
	ref = &inventory.Inventory{SchemaVersion: 1, Ref: "registry:ghcr.io/acme/web:main", ConfigDigest: "sha256:" + strings.Repeat("1", 64),
		Layers: []inventory.Layer{{DiffID: "sha256:base-old"}, {DiffID: "sha256:app-old"}},
		Config: inventory.Config{Labels: map[string]string{"build.date": "2026-11-23T03:00:00Z",
			"org.opencontainers.image.base.name": "docker.io/library/debian:bookworm", "org.opencontainers.image.base.digest": "sha256:" + strings.Repeat("a", 64)}},
		Packages: []packages.Package{dpkg("libc6", "2.36-9+deb12u9"), dpkg("tzdata", "2025b-0+deb12u1"),
			{Ecosystem: packages.Python, Name: "requests", Version: "2.32.3", Location: "/usr/lib/python3/dist-packages/requests-2.32.3.dist-info/METADATA"}},
		Files: []inventory.File{file("/opt/tool/tool.tar", "x1", 100), file("/usr/lib/x86_64-linux-gnu/libc.so.6", "c1", 2000)}}
	fresh = &inventory.Inventory{SchemaVersion: 1, Ref: "Dockerfile@0123456789ab", ConfigDigest: "sha256:" + strings.Repeat("2", 64),
		Layers: []inventory.Layer{{DiffID: "sha256:base-new"}, {DiffID: "sha256:app-new"}},
		Config: inventory.Config{Labels: map[string]string{"build.date": "2026-11-30T03:00:00Z"}},
		Packages: []packages.Package{dpkg("libc6", "2.36-9+deb12u10"), dpkg("tzdata", "2025b-0+deb12u1"),
			{Ecosystem: packages.Python, Name: "requests", Version: "2.32.4", Location: "/usr/lib/python3/dist-packages/requests-2.32.4.dist-info/METADATA"}},
		Files: []inventory.File{file("/opt/tool/tool.tar", "x2", 120), file("/usr/lib/x86_64-linux-gnu/libc.so.6", "c2", 2000)}}
	return ref, fresh
}

// TestSummarize: a week-old deployed image against a fresh build names
// every kind of drift, the digests the base moved between, and the
// findings that let each happen; the build-date label is not drift.
func TestSummarize(t *testing.T) {
	ref, fresh := deployed()
	now := "sha256:" + strings.Repeat("b", 64)
	res := run(t, ref, fresh, WatchContributor(WatchInput{Findings: findings, BaseName: "debian:bookworm", BaseNow: now}))
	d := res.Report.Drift
	if d == nil || !d.Drifted {
		t.Fatalf("drift %+v", d)
	}
	var kinds []string
	for _, p := range d.Parts {
		kinds = append(kinds, p.Kind)
	}
	if want := []string{report.DriftBaseImage, report.DriftOSPackages, report.DriftLanguagePackages, report.DriftFiles, report.DriftConfig}; !slices.Equal(kinds, want) {
		t.Errorf("kinds %q, want %q", kinds, want)
	}
	if b := d.Parts[0]; b.From != "sha256:"+strings.Repeat("a", 64) || b.To != now || len(b.Causes) != 1 || b.Causes[0].Rule != "unpinned-base-digest" {
		t.Errorf("base part %+v", b)
	}
	if c := d.Parts[4]; c.Changes != 2 || strings.Contains(c.Summary, "build.date") {
		t.Errorf("config part %+v: the build-date label is no drift, the base labels are", c)
	}
	golden.Check(t, filepath.Join("testdata", "watch.json"), indentJSON(t, d))
	golden.Check(t, filepath.Join("testdata", "watch.md"), []byte(sections(res)))
}

// Nothing but a build-date label and a noise path: no drift.
func TestSummarizeNoDrift(t *testing.T) {
	ref, _ := deployed()
	fresh := *ref
	fresh.ConfigDigest = "sha256:" + strings.Repeat("3", 64)
	fresh.Config.Labels = map[string]string{}
	for k, v := range ref.Config.Labels {
		fresh.Config.Labels[k] = v
	}
	fresh.Config.Labels["build.date"] = "2026-11-30T03:00:00Z"
	fresh.Files = append(slices.Clone(ref.Files), file("/var/log/apt/history.log", "l", 10))
	res := run(t, ref, &fresh, WatchContributor(WatchInput{Findings: findings}))
	if d := res.Report.Drift; d.Drifted || len(d.Parts) != 0 {
		t.Errorf("drift %+v", d)
	}
	if !strings.Contains(sections(res), "No drift") {
		t.Errorf("section:\n%s", sections(res))
	}
	if d := Summarize(run(t, ref, ref).Report, WatchInput{}); d.Drifted {
		t.Errorf("the same image drifted: %+v", d)
	}
}

func TestFinalBase(t *testing.T) {
	for src, want := range map[string]string{
		"FROM golang:1.26 AS build\nFROM debian:bookworm\n": "debian:bookworm",
		"FROM debian:bookworm AS base\nFROM base\n":         "",
		"FROM scratch\n":   "",
		"ARG B\nFROM $B\n": "",
		"not a Dockerfile": "",
	} {
		if got := FinalBase("Dockerfile", []byte(src)); got != want {
			t.Errorf("FinalBase(%q) = %q, want %q", src, got, want)
		}
	}
}
