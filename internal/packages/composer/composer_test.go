package composer

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
		"/app/vendor/composer/installed.json":            true,
		"/var/www/html/vendor/composer/installed.json":   true,
		"/root/.composer/vendor/composer/installed.json": true,
		"/app/vendor/composer/installed.php":             false,
		"/app/composer.json":                             false,
		"/app/composer.lock":                             false,
		"/app/composer/installed.json":                   false,
		"/app/vendor/composer/installed.json.bak":        false,
	})
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, in string
		want     string // name@version list, or the error
	}{
		{"composer 2", `{"packages":[{"name":"a/b","version":"v1.0.0"}],"dev":true,"dev-package-names":[]}`, "a/b@v1.0.0"},
		{"composer 1", ` [{"name":"a/b","version":"1.0.0","version_normalized":"1.0.0.0"},{"name":"c/d","version":"dev-main"}]`, "a/b@1.0.0 c/d@dev-main"},
		{"empty composer 2", `{"packages":[],"dev":false,"dev-package-names":[]}`, ""},
		{"object without packages", `{"name":"a/b"}`, "error: installed.json has no packages list"},
		{"scalar", `"x"`, "error: installed.json is neither an array nor an object"},
		{"bad json", `[{"name":`, "error: parse installed.json: unexpected end of JSON input"},
		{"wrong field type", `[{"name":"a/b","version":1},{"name":"c/d","version":"2"}]`, "a/b@ (version is not a string) c/d@2"},
		{"not objects", `[null, 1, []]`, "@ (not a package object) @ (not a package object) @ (not a package object)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, err := parse([]byte(tt.in))
			var got []string
			for _, e := range entries {
				s := e.Name + "@" + e.Version
				if e.Problem != "" {
					s += " (" + e.Problem + ")"
				}
				got = append(got, s)
			}
			s := strings.Join(got, " ")
			if err != nil {
				s = "error: " + err.Error()
			}
			if s != tt.want {
				t.Errorf("got %q, want %q", s, tt.want)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		e    entry
		want string
	}{
		{entry{Name: "symfony/console", Version: "v5.4.53"}, ""},
		{entry{Version: "1"}, "no name"},
		{entry{Name: "noslash", Version: "1"}, `invalid name "noslash"`},
		{entry{Name: "a/b/c", Version: "1"}, `invalid name "a/b/c"`},
		{entry{Name: "a/b"}, "a/b has no version"},
		{entry{Name: "a/b", Version: "1 as 2"}, `a/b has an invalid version "1 as 2"`},
		{entry{Name: "a/b", Version: "1", Problem: "x"}, "x"},
	}
	for _, tt := range tests {
		if got := tt.e.check(); got != tt.want {
			t.Errorf("check(%+v) = %q, want %q", tt.e, got, tt.want)
		}
	}
}
