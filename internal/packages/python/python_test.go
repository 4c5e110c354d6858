package python

import (
	"os"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/packages/catalogtest"
)

// TestCatalogGolden pins what testdata/root gives, whatever the Write
// boundaries.
func TestCatalogGolden(t *testing.T) { catalogtest.GoldenTree(t, New(), 1, 7, 1<<20) }

func TestMatch(t *testing.T) {
	catalogtest.Match(t, New(), map[string]bool{
		"/usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA":              true,
		"/usr/local/lib/python3.11/site-packages/pip-23.0.1.dist-info/METADATA":     true,
		"/opt/venv/lib/python3.12/site-packages/requests-2.31.0.dist-info/METADATA": true,
		"/usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO":               true,
		"/usr/lib/python3/dist-packages/lsb_release-0.0.0.egg-info":                 true,
		"/usr/lib/python3.11/site-packages/foo-1.0-py3.11.egg/EGG-INFO/PKG-INFO":    true,
		"/usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/RECORD":                true,
		"/usr/lib/python3/dist-packages/six-1.16.0.egg-info/installed-files.txt":    true,
		"/usr/lib/python3/dist-packages/RECORD":                                     false,
		"/usr/lib/python3/dist-packages/six-1.16.0.egg-info/top_level.txt":          false,
		"/src/project/PKG-INFO":                                   false, // an sdist's own PKG-INFO, not installed
		"/usr/share/doc/foo/METADATA":                             false,
		"/.egg-info":                                              false,
		"/usr/lib/python3/dist-packages/.egg-info":                false,
		"/usr/lib/python3/dist-packages/x.dist-info/METADATA.bak": false,
	})
}

func TestNormalize(t *testing.T) {
	tests := map[string]string{
		"PyYAML":           "pyyaml",
		"python_apt":       "python-apt",
		"zope.interface":   "zope-interface",
		"Foo__Bar-.-baz":   "foo-bar-baz",
		"ruamel.yaml.clib": "ruamel-yaml-clib",
		"a":                "a",
	}
	for in, want := range tests {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHeaders(t *testing.T) {
	tests := []struct {
		name, in    string
		wantName    string
		wantVersion string
		wantErr     string
	}{
		{"plain", "Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\n\nbody\n", "six", "1.16.0", ""},
		{"crlf", "Metadata-Version: 2.1\r\nName: six\r\nVersion: 1.16.0\r\n\r\n", "six", "1.16.0", ""},
		{"bom", "\xef\xbb\xbfMetadata-Version: 2.1\nName: six\nVersion: 1\n", "six", "1", ""},
		{"bom before name", "\xef\xbb\xbfName: six\nVersion: 1\n", "six", "1", ""},
		{"no final newline", "Name: six\nVersion: 1.16.0", "six", "1.16.0", ""},
		{"case-insensitive keys", "name: six\nVERSION: 1.0\n", "six", "1.0", ""},
		{"first occurrence wins", "Name: a\nName: b\nVersion: 1\nVersion: 2\n", "a", "1", ""},
		{"body is not headers", "Name: a\n\nVersion: 2\n", "", "", "no Version header"},
		{"no name", "Metadata-Version: 2.1\nVersion: 1\n", "", "", "no Name header"},
		{"folded name", "Name: a\n b\nVersion: 1\n", "", "", "the Name header spans several lines"},
		{"folded version", "Name: a\nVersion: 1\n\t.2\n", "", "", "the Version header spans several lines"},
		{"folded description is fine", "Name: a\nDescription: x\n        y\n        |\nVersion: 1\n", "a", "1", ""},
		{"bad name", "Name: a b\nVersion: 1\n", "", "", `invalid distribution name "a b"`},
		{"bad version", "Name: a\nVersion: \n", "", "", `invalid version ""`},
		{"long line skipped", "Summary: " + strings.Repeat("x", 5000) + "\nName: a\nVersion: 1\n", "a", "1", ""},
		{"long name dropped", "Name: " + strings.Repeat("x", 5000) + "\nVersion: 1\n", "", "", "no Name header"},
		{"empty", "", "", "", "no Name header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, chunk := range []int{1, 3, len(tt.in) + 1} {
				x := New().Match("/x/a.dist-info/METADATA", int64(len(tt.in)), 0o644)
				for s := tt.in; len(s) > 0; {
					n := min(chunk, len(s))
					x.Write([]byte(s[:n]))
					s = s[n:]
				}
				v, _ := x.Result()
				pkgs, warns := New().Catalog([]packages.File{{Path: "/x/a.dist-info/METADATA", Data: v}})
				if tt.wantErr != "" {
					if len(warns) != 1 || warns[0].Message != tt.wantErr || len(pkgs) != 0 {
						t.Fatalf("chunk %d: got %v %v, want warning %q", chunk, pkgs, warns, tt.wantErr)
					}
					continue
				}
				if len(warns) != 0 || len(pkgs) != 1 {
					t.Fatalf("chunk %d: got %v %v", chunk, pkgs, warns)
				}
				if pkgs[0].Name != tt.wantName || pkgs[0].Version != tt.wantVersion {
					t.Errorf("chunk %d: got %s %s, want %s %s", chunk, pkgs[0].Name, pkgs[0].Version, tt.wantName, tt.wantVersion)
				}
			}
		})
	}
}

// A caller that captured the whole file (packages.Capture) gets the same
// answer; a capture cut inside the body still has whole headers.
func TestCatalogCaptured(t *testing.T) {
	data, err := os.ReadFile("testdata/root/usr/lib/python3/dist-packages/requests-2.28.1.egg-info/PKG-INFO")
	if err != nil {
		t.Fatal(err)
	}
	for _, max := range []int64{1 << 20, 1000} {
		x := packages.Capture(max)
		x.Write(data)
		v, _ := x.Result()
		pkgs, warns := New().Catalog([]packages.File{{Path: "/p/requests-2.28.1.egg-info/PKG-INFO", Data: v}})
		if len(warns) != 0 || len(pkgs) != 1 || pkgs[0].Name != "requests" || pkgs[0].Version != "2.28.1" {
			t.Errorf("cap %d: got %v %v", max, pkgs, warns)
		}
	}
	_, warns := New().Catalog([]packages.File{{Path: "/p/x.egg-info", Data: nil}})
	if len(warns) != 1 {
		t.Errorf("nil data: got warnings %v, want one", warns)
	}
}
