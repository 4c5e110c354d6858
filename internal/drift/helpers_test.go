package drift

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/imagedrift/imagedrift/internal/analysis"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/lint"
	"github.com/imagedrift/imagedrift/internal/packages"
)

// file is a regular file of a synthetic inventory; sha names its content.
func file(p, sha string, size int64) inventory.File {
	return inventory.File{Path: p, Type: inventory.TypeFile, Mode: 0o644, Size: size, SHA256: contentDigest(sha)}
}

func dpkg(name, version string) packages.Package {
	return packages.Package{Ecosystem: packages.Dpkg, Name: name, Version: version, Location: "/var/lib/dpkg/status", Arch: "amd64"}
}

func at(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return &t
}

// findings are a Dockerfile's that explain package and download drift.
var findings = []lint.Finding{
	{Rule: lint.RuleUnpinnedBaseDigest, Level: lint.LevelMedium, File: "Dockerfile", Line: 1, Message: "FROM debian:bookworm has no digest"},
	{Rule: lint.RuleAptUnpinned, Level: lint.LevelMedium, File: "Dockerfile", Line: 3, Message: "apt-get install without versions"},
	{Rule: lint.RulePipeToShell, Level: lint.LevelHigh, File: "Dockerfile", Line: 5, Message: "curl | sh"},
	{Rule: lint.RuleArgNotRecorded, Level: lint.LevelLow, File: "Dockerfile", Line: 7, Message: "ARG VERSION"},
}

// run is analysis.Run of base against head, failing the test on error.
func run(t *testing.T, base, head *inventory.Inventory, contributors ...analysis.Contributor) *analysis.Result {
	t.Helper()
	res, err := analysis.Run(context.Background(), analysis.Input{Base: base, Head: head, Findings: findings,
		Version: "test", Contributors: contributors})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func indentJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// section renders the sections of a result as the comment shows them.
func sections(res *analysis.Result) string {
	var out strings.Builder
	for _, s := range res.Sections {
		out.WriteString("#### " + s.Title + "\n\n" + s.Body)
	}
	return out.String()
}

// contentDigest stands for the digest of content named s: equal names,
// equal digests.
func contentDigest(s string) inventory.Digest { return sha256.Sum256([]byte(s)) }
