package action

import (
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/github/botpr"
	"github.com/imagedrift/imagedrift/internal/github/event"
	"github.com/imagedrift/imagedrift/internal/report"
)

// FuzzPRInfo decodes pr.json as the comment phase reads it from an
// artifact the pull request could have written, and renders what it
// declares: no panic, only checked values accepted.
func FuzzPRInfo(f *testing.F) {
	f.Add(`{"schemaVersion":1,"number":7,"headSha":"4b825dc642cb6eb9a060e54bf8d69288fbee4904","key":"Dockerfile",` +
		`"declared":{"bot":"dependabot","updates":[{"name":"express","from":"4.18.2","to":"4.19.2","updateType":"version-update:semver-minor"}]},` +
		`"baseImages":["node:20-bookworm-slim"]}`)
	f.Add(`{"schemaVersion":1,"number":1,"headSha":"4b825dc642cb6eb9a060e54bf8d69288fbee4904","declared":{"bot":"<b>x</b>","count":-5,"updates":[{"name":"a|b\n@team"}]}}`)
	f.Add(`{"schemaVersion":1,"number":0}`)
	f.Fuzz(func(t *testing.T, data string) {
		info, err := parsePRInfo([]byte(data))
		if err != nil {
			return
		}
		if info.Number <= 0 || !event.IsSHA(info.HeadSHA) || len(info.Key) > maxKey || len(info.BaseImages) > maxBaseImages {
			t.Fatalf("accepted %+v", info)
		}
		if info.Declared == nil {
			return
		}
		if len(info.Declared.Updates) > maxDeclared {
			t.Fatalf("%d updates kept", len(info.Declared.Updates))
		}
		pkgs := report.Packages{Changed: []report.PackageChange{{Ecosystem: "npm", Name: "express", From: "4.18.2", To: "4.19.2", Bump: data}}}
		c := botpr.Compare(*info.Declared, botpr.ChangesFromReport(&pkgs), info.BaseImages)
		body := c.Section().Body
		for _, line := range strings.Split(body, "\n") {
			if strings.Contains(line, "<") && !strings.Contains(line, "`") && !strings.Contains(line, "<br>") {
				t.Fatalf("HTML outside a code span: %q", line)
			}
		}
		c.Risks()
	})
}
