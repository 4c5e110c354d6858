package nuget

import (
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages/catalogtest"
)

// TestCatalogGolden pins what testdata/root gives, whatever the Write
// boundaries.
func TestCatalogGolden(t *testing.T) { catalogtest.GoldenTree(t, New(), 7, 1<<20) }

func TestMatch(t *testing.T) {
	catalogtest.Match(t, New(), map[string]bool{
		"/app/WebApi.deps.json": true,
		"/usr/share/dotnet/shared/Microsoft.NETCore.App/8.0.11/Microsoft.NETCore.App.deps.json": true,
		"/usr/share/dotnet/sdk/8.0.404/dotnet.deps.json":                                        true,
		"/app/WebApi.runtimeconfig.json":                                                        false,
		"/app/.deps.json":                                                                       false,
		".deps.json":                                                                            false,
		"/app/WebApi.deps.json.bak":                                                             false,
		"/app/deps.json":                                                                        false,
	})
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, in string
		want     string // Name@Version list, then notes or the error
	}{
		{"package", `{"libraries":{"B/2.0.0":{"type":"package"},"A/1.0.0":{"type":"package"}}}`, "A@1.0.0 B@2.0.0"},
		{"project and reference skipped", `{"libraries":{"App/1.0.0":{"type":"project"},"R/1.0.0.0":{"type":"reference"},"P/1":{"type":"package"}}}`, "P@1"},
		{"runtime pack", `{"libraries":{"runtimepack.Microsoft.NETCore.App.Runtime.linux-musl-x64/8.0.11":{"type":"runtimepack"}}}`, "Microsoft.NETCore.App.Runtime.linux-musl-x64@8.0.11"},
		{"prerelease", `{"libraries":{"A/8.0.0-rc.1.23419.4":{"type":"package"}}}`, "A@8.0.0-rc.1.23419.4"},
		{"no libraries", `{"runtimeTarget":{"name":".NETCoreApp,Version=v8.0"}}`, ""},
		{"bad key", `{"libraries":{"NoVersion":{"type":"package"},"A/1/2":{"type":"package"},"/1":{"type":"package"}}}`,
			`| library "/1": not a Name/Version key; library "A/1/2": not a Name/Version key; library "NoVersion": not a Name/Version key`},
		{"bad entry", `{"libraries":{"A/1":"package"}}`, `| library "A/1": unreadable entry`},
		{"bad json", `{"libraries":`, "error: parse deps.json: unexpected end of JSON input"},
		{"libraries not an object", `{"libraries":[]}`, "error: parse deps.json: json: cannot unmarshal array"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			libs, notes, err := parse([]byte(tt.in))
			var got []string
			for _, l := range libs {
				got = append(got, l.name+"@"+l.version)
			}
			s := strings.Join(got, " ")
			if len(notes) > 0 {
				s += "| " + strings.Join(notes, "; ")
			}
			if err != nil {
				s = "error: " + err.Error()
			}
			if s != tt.want && !(strings.HasPrefix(tt.want, "error: ") && strings.HasPrefix(s, tt.want)) {
				t.Errorf("got  %q\nwant %q", s, tt.want)
			}
		})
	}
}
