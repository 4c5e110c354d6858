package npm

import (
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/packages/catalogtest"
)

// TestCatalogGolden pins what testdata/root gives, whatever the Write
// boundaries.
func TestCatalogGolden(t *testing.T) { catalogtest.GoldenTree(t, New(), 7, 1<<20) }

func TestMatch(t *testing.T) {
	tests := map[string]bool{
		"/usr/share/nodejs/ms/package.json":                                            true,
		"/usr/share/nodejs/@types/ms/package.json":                                     true,
		"/usr/lib/nodejs/sqlite3/package.json":                                         true,
		"/usr/lib/x86_64-linux-gnu/nodejs/iconv/package.json":                          true,
		"/usr/share/nodejs/npm/node_modules/agentkeepalive/package.json":               true,
		"/usr/share/nodejs/npm/node_modules/@colors/colors/package.json":               true,
		"/usr/share/nodejs/@babel/preset-env/node_modules/js-levenshtein/package.json": true,
		"/usr/lib/node_modules/npm/package.json":                                       true,
		"/usr/lib/node_modules/npm/node_modules/@npmcli/arborist/package.json":         true,
		"/usr/local/lib/node_modules/corepack/package.json":                            true,
		"/app/node_modules/express/package.json":                                       true,
		"/app/node_modules/a/node_modules/b/node_modules/c/package.json":               true,
		"/app/node_modules/@scope/a/node_modules/@s2/b/package.json":                   true,
		"/app/node_modules/.pnpm/ms@2.1.3/node_modules/ms/package.json":                true,
		"/node_modules/ms/package.json":                                                true,
		// Not package roots.
		"/app/package.json":                                                 false,
		"/package.json":                                                     false,
		"/usr/share/nodejs/package.json":                                    false,
		"/usr/share/nodejs/@babel/package.json":                             false,
		"/usr/share/nodejs/@babel/types/lib/package.json":                   false,
		"/usr/share/nodejs/foo/test/node_modules/bar/package.json":          false,
		"/app/node_modules/foo/test/fixtures/package.json":                  false,
		"/app/node_modules/foo/lib/package.json":                            false,
		"/app/node_modules/foo/test/fixtures/node_modules/bar/package.json": false,
		"/app/node_modules/@scope/package.json":                             false,
		"/app/node_modules/.bin/package.json":                               false,
		"/app/node_modules/.package-lock.json":                              false,
		"/app/node_modules/ms/package.json.orig":                            false,
		"/app/node_modules/ms/xpackage.json":                                false,
		"/usr/lib/x86_64-linux-gnu/foo/nodejs/x/package.json":               false,
	}
	catalogtest.Match(t, New(), tests)
	for path, want := range tests {
		if got := slowIsManifest(path); got != want {
			t.Errorf("slowIsManifest(%q) = %v, want %v", path, got, want)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, in, wantName, wantVersion, wantErr string
	}{
		{"plain", `{"name":"ms","version":"2.1.3"}`, "ms", "2.1.3", ""},
		{"scoped", `{"version":"7.3.9","name":"@types/semver"}`, "@types/semver", "7.3.9", ""},
		{"bom", "\xef\xbb\xbf{\"name\":\"a\",\"version\":\"1.0.0\"}", "a", "1.0.0", ""},
		{"last duplicate wins like JSON.parse", `{"name":"a","version":"1","version":"2"}`, "a", "2", ""},
		{"no version", `{"name":"a"}`, "", "", "package.json has no version"},
		{"null name", `{"name":null,"version":"1"}`, "", "", "package.json has no name"},
		{"numeric version", `{"name":"a","version":1}`, "", "", "package.json version is not a string"},
		{"empty name", `{"name":"","version":"1"}`, "", "", `package.json has an invalid name ""`},
		{"space in version", `{"name":"a","version":"1 2"}`, "", "", `package.json has an invalid version "1 2"`},
		{"array", `[1,2]`, "", "", "parse package.json: json: cannot unmarshal array into Go value of type struct"},
		{"truncated", `{"name":"a","version":"1"`, "", "", "parse package.json: unexpected end of JSON input"},
		{"long name", `{"name":"` + strings.Repeat("a", 300) + `","version":"1"}`, "", "", "package.json has an invalid name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name, version, err := parse([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("got %q %q %v, want error %q", name, version, err, tt.wantErr)
				}
				return
			}
			if err != nil || name != tt.wantName || version != tt.wantVersion {
				t.Errorf("got %q %q %v, want %q %q", name, version, err, tt.wantName, tt.wantVersion)
			}
		})
	}
}

func TestCatalogTruncated(t *testing.T) {
	x := New().Match("/app/node_modules/big/package.json", 2<<20, 0o644)
	x.Write([]byte(`{"name":"big","version":"1.0.0","readme":"`))
	x.Write(make([]byte, 2<<20))
	v, err := x.Result()
	if err == nil {
		t.Error("Result: want an error for a file over the cap")
	}
	pkgs, warns := New().Catalog([]packages.File{{Path: "/app/node_modules/big/package.json", Data: v}})
	if len(pkgs) != 0 || len(warns) != 1 || !strings.Contains(warns[0].Message, "cap") {
		t.Errorf("got %v %v, want one warning about the cap", pkgs, warns)
	}
}
