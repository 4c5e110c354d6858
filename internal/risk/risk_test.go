package risk

import (
	"reflect"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/diff"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/lint"
	"github.com/imagedrift/imagedrift/internal/packages"
)

func sp(s string) *string { return &s }

func dpkg(name, version string) packages.Package {
	return packages.Package{Ecosystem: "dpkg", Name: name, Version: version, Location: "/var/lib/dpkg/status", Arch: "amd64"}
}

// changes is a Debian 12 → 13 upgrade of a small service image.
func changes() *diff.Changes {
	return &diff.Changes{
		Packages: diff.PackageChanges{
			Changed: []diff.PackageChange{
				{Ecosystem: "dpkg", Name: "libgcc-s1", From: "12.2.0-14", To: "14.2.0-19", Bump: packages.BumpMajor},
				{Ecosystem: "npm", Name: "express", From: "4.21.2", To: "5.1.0", Bump: packages.BumpMajor},
				{Ecosystem: "dpkg", Name: "libssl3t64", PreviousName: "libssl3", From: "3.0.11-1~deb12u2", To: "3.5.1-1", Bump: packages.BumpMinor},
				{Ecosystem: "python", Name: "urllib3", From: "2.2.1", To: "1.26.18", Bump: packages.BumpDowngrade},
			},
			Removed: []packages.Package{dpkg("libdb5.3", "5.3.28+dfsg2-1")},
			Added:   []packages.Package{dpkg("libsqlite3-0", "3.46.1-7")},
		},
		Files: diff.FileChanges{Entries: []diff.FileChange{
			{Path: "/usr/bin/newuidmap", Kind: diff.Added, After: inventory.File{Type: inventory.TypeFile, Mode: 04755}},
			{Path: "/usr/bin/passwd", Kind: diff.Metadata,
				Before: inventory.File{Type: inventory.TypeFile, Mode: 04755}, After: inventory.File{Type: inventory.TypeFile, Mode: 06755, GID: 42}},
			{Path: "/app/cache", Kind: diff.Added, After: inventory.File{Type: inventory.TypeDir, Mode: 0o777}},
			{Path: "/tmp", Kind: diff.Metadata, Before: inventory.File{Type: inventory.TypeDir, Mode: 0o755}, After: inventory.File{Type: inventory.TypeDir, Mode: 01777}},
			{Path: "/usr/lib/os-release", Kind: diff.Removed, Before: inventory.File{Type: inventory.TypeFile, Mode: 04777}},
			{Path: "/etc/alternatives/x", Kind: diff.Added, After: inventory.File{Type: inventory.TypeSymlink, Mode: 0o777}},
		}},
		Config: []diff.ConfigChange{
			{Field: diff.FieldCmd, Before: sp(`["nginx"]`), After: sp(`["nginx","-g","daemon off;"]`)},
			{Field: diff.FieldEntrypoint, Before: sp(`["/entry.sh"]`), After: sp(`["/bin/sh","-c","/entry.sh"]`)},
			{Field: diff.FieldEnv, Key: "NGINX_VERSION", Before: sp("1.25.4"), After: sp("1.27.5")},
			{Field: diff.FieldPorts, Before: sp(`["80/tcp"]`), After: sp(`["80/tcp","8080/tcp"]`)},
			{Field: diff.FieldUser, Before: sp("nginx")},
		},
		OS: diff.OSChange{Changed: true,
			Before: inventory.OS{ID: "debian", VersionID: "12", PrettyName: "Debian GNU/Linux 12 (bookworm)"},
			After:  inventory.OS{ID: "debian", VersionID: "13", PrettyName: "Debian GNU/Linux 13 (trixie)"}},
		BaseImage: diff.BaseImage{Changed: true, Source: diff.BaseFromAnnotations,
			Before: diff.BaseRef{Name: "docker.io/library/debian:12-slim", Digest: "sha256:aaaaaaaaaaaaaaaaaaaa"},
			After:  diff.BaseRef{Name: "docker.io/library/debian:13-slim", Digest: "sha256:bbbbbbbbbbbbbbbbbbbb"}},
		Size: diff.Size{Before: 74 << 20, After: 90 << 20, FilesBefore: 5000, FilesAfter: 6200},
	}
}

func TestEvaluate(t *testing.T) {
	findings := []lint.Finding{{Rule: "apt-unpinned", Level: lint.LevelLow, File: "Dockerfile", Line: 4, Message: "apt-get install without versions"}}
	extra := Risk{ID: UndeclaredChange, Level: High, Subject: "dpkg:openssl", Message: "changed, not declared by the PR"}
	pol := DefaultPolicy()
	pol.FailOn = []string{"high", "major-bump"}
	pol.AllowMajor = []string{"npm:express"}
	risks, v := Evaluate(changes(), findings, pol, extra)

	var got []string
	for _, r := range risks {
		got = append(got, string(r.Level)+" "+r.ID+" "+r.Subject+": "+r.Message)
	}
	want := []string{
		"high os-changed os: Debian GNU/Linux 12 (bookworm) → Debian GNU/Linux 13 (trixie)",
		"high undeclared-change dpkg:openssl: changed, not declared by the PR",
		"high downgrade python:urllib3: downgraded 2.2.1 → 1.26.18",
		"high setuid-added /usr/bin/newuidmap: setuid bit set (mode 4755, owner 0:0)",
		"high setuid-added /usr/bin/passwd: setgid bit set (mode 6755, owner 0:42)",
		"medium base-image-changed docker.io/library/debian:13-slim: docker.io/library/debian:12-slim@sha256:aaaaaaaaaaaa → docker.io/library/debian:13-slim@sha256:bbbbbbbbbbbb",
		"medium major-bump dpkg:libgcc-s1: major version bump 12.2.0-14 → 14.2.0-19",
		"medium world-writable-added /app/cache: world-writable dir (mode 0777)",
		"medium user-root user: runs as root now (user was nginx)",
		"medium entrypoint-changed entrypoint: [\"/entry.sh\"] → [\"/bin/sh\",\"-c\",\"/entry.sh\"]",
		"medium size-increase image size: 74.0 MiB → 90.0 MiB (+16.0 MiB, +21.6%)",
		"low entrypoint-changed cmd: [\"nginx\"] → [\"nginx\",\"-g\",\"daemon off;\"]",
		"low ports-changed ports: [\"80/tcp\"] → [\"80/tcp\",\"8080/tcp\"]",
		"low env-changed NGINX_VERSION: 1.25.4 → 1.27.5",
		"low files-increase files: 5000 → 6200 paths (+1200)",
		"low package-removed dpkg:libdb5.3: removed (was 5.3.28+dfsg2-1)",
		"low package-added dpkg:libsqlite3-0: added at 3.46.1-7",
		"low lint:apt-unpinned Dockerfile:4: apt-get install without versions",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("risks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	wantV := Verdict{Level: High, Failed: true, FailOn: []string{"high", "major-bump"}, Reasons: []string{
		"high: 5 risks (os-changed os, undeclared-change dpkg:openssl, downgrade python:urllib3, setuid-added /usr/bin/newuidmap, setuid-added /usr/bin/passwd)",
		"major-bump: 1 risk (major-bump dpkg:libgcc-s1)",
	}}
	if !reflect.DeepEqual(v, wantV) {
		t.Errorf("verdict = %#v\nwant %#v", v, wantV)
	}
}

func TestEvaluatePolicyLevels(t *testing.T) {
	pol := DefaultPolicy()
	pol.Levels = map[string]Level{OSChanged: Off, PackageAdded: High, "lint:apt-unpinned": Off, SetuidAdded: Off}
	pol.SizePercent, pol.Files = 50, 0
	pol.FailOn = []string{PackageAdded}
	findings := []lint.Finding{{Rule: "apt-unpinned", Level: lint.LevelLow, File: "Dockerfile", Line: 4}}
	risks, v := Evaluate(changes(), findings, pol)
	for _, r := range risks {
		switch r.ID {
		case OSChanged, SizeIncrease, FilesIncrease, "lint:apt-unpinned", SetuidAdded:
			t.Errorf("risk %s should be off", r.ID)
		case PackageAdded:
			if r.Level != High {
				t.Errorf("package-added at %s", r.Level)
			}
		}
	}
	if !v.Failed || v.Level != High || len(v.Reasons) != 1 {
		t.Errorf("verdict %+v", v)
	}
}

func TestEvaluateThresholds(t *testing.T) {
	tests := []struct {
		name    string
		size    diff.Size
		pct     float64
		bytes   int64
		files   int
		wantIDs string
	}{
		{"under both", diff.Size{Before: 100 << 20, After: 105 << 20}, 10, 0, 1000, ""},
		{"percent", diff.Size{Before: 100 << 20, After: 111 << 20}, 10, 0, 1000, "size-increase"},
		{"bytes", diff.Size{Before: 1 << 30, After: 1<<30 + 60<<20}, 10, 50 << 20, 1000, "size-increase"},
		{"from scratch", diff.Size{Before: 0, After: 1 << 20}, 10, 0, 1000, "size-increase"},
		{"shrink", diff.Size{Before: 100 << 20, After: 50 << 20}, 10, 1, 1000, ""},
		{"files", diff.Size{FilesBefore: 100, FilesAfter: 1100}, 10, 0, 1000, "files-increase"},
		{"files under", diff.Size{FilesBefore: 100, FilesAfter: 1099}, 10, 0, 1000, ""},
		{"disabled", diff.Size{Before: 1, After: 1 << 30, FilesAfter: 1 << 20}, 0, 0, 0, ""},
	}
	for _, tt := range tests {
		pol := Policy{SizePercent: tt.pct, SizeBytes: tt.bytes, Files: tt.files}
		risks, _ := Evaluate(&diff.Changes{Size: tt.size}, nil, pol)
		var ids []string
		for _, r := range risks {
			ids = append(ids, r.ID)
		}
		if got := strings.Join(ids, " "); got != tt.wantIDs {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.wantIDs)
		}
	}
}

func TestEvaluateIdentical(t *testing.T) {
	ch := changes()
	ch.Identical = true
	risks, v := Evaluate(ch, nil, Policy{FailOn: []string{"low"}})
	if len(risks) != 0 || v.Failed || v.Level != None || v.Reasons == nil || v.FailOn == nil {
		t.Errorf("risks %v verdict %+v", risks, v)
	}
}

func TestBaseChangedByDigestOnly(t *testing.T) {
	ch := &diff.Changes{BaseImage: diff.BaseImage{Changed: true, Source: diff.BaseFromAnnotations,
		Before: diff.BaseRef{Name: "debian:12", Digest: "sha256:1"}, After: diff.BaseRef{Name: "debian:12", Digest: "sha256:2"}}}
	risks, _ := Evaluate(ch, nil, Policy{})
	if len(risks) != 1 || risks[0].Level != Low || risks[0].Message != "debian:12@sha256:1 → debian:12@sha256:2" {
		t.Errorf("risks %+v", risks)
	}
	ch.BaseImage = diff.BaseImage{Changed: true, Source: diff.BaseFromLayers}
	risks, _ = Evaluate(ch, nil, Policy{})
	if len(risks) != 1 || risks[0].Subject != "base image" {
		t.Errorf("risks %+v", risks)
	}
}

func TestParseFailOn(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		wantErr string
	}{
		{"", []string{}, ""},
		{"none", []string{}, ""},
		{"high", []string{"high"}, ""},
		{"medium, major-bump  lint:*,lint:apt-unpinned", []string{"medium", "major-bump", "lint:*", "lint:apt-unpinned"}, ""},
		{"undeclared-change", []string{"undeclared-change"}, ""},
		{"hihg", nil, `unknown risk id or level "hihg"`},
		{"lint:", nil, `"lint:"`},
		{"HIGH", nil, `"HIGH"`},
	}
	for _, tt := range tests {
		got, err := ParseFailOn(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseFailOn(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseFailOn(%q) = %q, %v", tt.in, got, err)
		}
	}
}

func TestVerdictLintWildcard(t *testing.T) {
	findings := []lint.Finding{
		{Rule: "a", Level: lint.LevelLow, File: "Dockerfile", Line: 1},
		{Rule: "b", Level: lint.LevelLow, File: "Dockerfile", Line: 2},
	}
	_, v := Evaluate(nil, findings, Policy{FailOn: []string{"lint:*"}})
	if !v.Failed || v.Level != Low || v.Reasons[0] != "lint:*: 2 risks (lint:a Dockerfile:1, lint:b Dockerfile:2)" {
		t.Errorf("verdict %+v", v)
	}
}
