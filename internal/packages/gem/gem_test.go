package gem

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
	catalogtest.Match(t, New(), map[string]bool{
		"/usr/share/rubygems-integration/all/specifications/rack-2.2.22.gemspec":                 true,
		"/usr/lib/x86_64-linux-gnu/rubygems-integration/3.1.0/specifications/json-2.6.3.gemspec": true,
		"/usr/lib/ruby/gems/3.1.0/specifications/rbs-2.1.0.gemspec":                              true,
		"/usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec":                     true,
		"/var/lib/gems/3.1.0/specifications/rails-7.0.4.gemspec":                                 true,
		"/usr/local/bundle/specifications/puma-6.4.0.gemspec":                                    true,
		"/app/vendor/bundle/ruby/3.2.0/specifications/nokogiri-1.15.4-x86_64-linux.gemspec":      true,
		"/usr/local/bundle/gems/puma-6.4.0/puma.gemspec":                                         false,
		"/usr/local/bundle/specifications/puma-6.4.0.gemspec.bak":                                false,
		"/usr/local/bundle/myspecifications/puma-6.4.0.gemspec":                                  false,
		"/usr/local/bundle/specifications/default/x/puma.gemspec":                                false,
		"/app/puma.gemspec": false,
		".gemspec":          false,
	})
}

func TestParseSpec(t *testing.T) {
	tests := []struct {
		name, in string
		want     spec
	}{
		{"generated", "# stub: rack 2.2.22 ruby lib\nGem::Specification.new do |s|\n  s.name = \"rack\".freeze\n  s.version = \"2.2.22\"\nend\n",
			spec{Name: "rack", Version: "2.2.22", Platform: "ruby"}},
		{"single quotes and spec", "Gem::Specification.new do |spec|\n  spec.name    = 'foo'\n  spec.version = '1.0'.freeze # pinned\nend\n",
			spec{Name: "foo", Version: "1.0"}},
		{"percent q", "s.name = %q{rake}\ns.version = %q<0.8.7>\n", spec{Name: "rake", Version: "0.8.7"}},
		{"percent Q and bare percent", "s.name = %Q(a(b)c)\ns.version = %(1)\n", spec{Name: "a(b)c", Version: "1"}},
		{"Gem::Version.new", "s.name = \"x\"\ns.version = Gem::Version.new(\"1.2.3\")\n", spec{Name: "x", Version: "1.2.3"}},
		{"Gem::Version.new without parens", "s.name = \"x\"\ns.version = Gem::Version.new \"1.2\"\n", spec{Name: "x", Version: "1.2"}},
		{"escapes", "s.name = \"a\\u0062\\\"c\"\ns.version = '1\\'2'\n", spec{Name: "ab\"c", Version: "1'2"}},
		{"trailing condition", "s.version = \"1\" if s.respond_to? :version=\n", spec{Version: "1"}},
		{"constant", "# stub: foo 1.2.3 ruby lib\ns.name = \"foo\"\ns.version = Foo::VERSION\n",
			spec{Name: "foo", Version: "1.2.3", Platform: "ruby", Unresolved: []string{"version"}}},
		{"interpolation", "s.name = \"foo\"\ns.version = \"#{MAJOR}.1\"\n", spec{Name: "foo", Unresolved: []string{"version"}}},
		{"concatenation", "s.name = \"foo\"\ns.version = \"1\" + \".2\"\n", spec{Name: "foo", Unresolved: []string{"version"}}},
		{"first assignment wins", "s.name = \"a\"\ns.name = \"b\"\n", spec{Name: "a"}},
		{"comparison is not assignment", "s.name == \"b\"\ns.name = \"a\"\n", spec{Name: "a"}},
		{"other fields ignored", "s.namespace = \"z\"\ns.metadata = { \"name\" => \"y\" }\ns.name = \"a\"\n", spec{Name: "a"}},
		{"platform", "s.name = \"n\"\ns.version = \"1\"\ns.platform = \"x86_64-linux\".freeze\n", spec{Name: "n", Version: "1", Platform: "x86_64-linux"}},
		{"unterminated", "s.name = \"abc\n", spec{Unresolved: []string{"name"}}},
		{"empty", "", spec{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := resolve(parseSpec([]byte(tt.in)))
			if got.Name != tt.want.Name || got.Version != tt.want.Version || got.Platform != tt.want.Platform ||
				strings.Join(got.Unresolved, ",") != strings.Join(tt.want.Unresolved, ",") {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestCatalogTruncated(t *testing.T) {
	path := "/usr/local/bundle/specifications/big-1.0.gemspec"
	x := New().Match(path, 2<<20, 0o644)
	x.Write([]byte("s.name = \"big\"\ns.version = \"1.0\"\n"))
	x.Write(make([]byte, 2<<20))
	v, _ := x.Result()
	pkgs, warns := New().Catalog([]packages.File{{Path: path, Data: v}})
	if len(pkgs) != 0 || len(warns) != 1 || !strings.Contains(warns[0].Message, "cap") {
		t.Errorf("got %v %v, want one warning about the cap", pkgs, warns)
	}
}

func TestReadFileNotes(t *testing.T) {
	tests := []struct {
		name, path, in string
		want           string // name@version[@arch], then notes; or error
	}{
		{"generated", "/s/specifications/rack-2.2.22.gemspec",
			"# stub: rack 2.2.22 ruby lib\ns.name = \"rack\".freeze\ns.version = \"2.2.22\"\n", "rack@2.2.22"},
		{"stub only", "/s/specifications/rack-2.2.22.gemspec", "# stub: rack 2.2.22 ruby lib\n", "rack@2.2.22"},
		{"constant version with stub", "/s/specifications/foo-1.0.gemspec",
			"# stub: foo 1.0 ruby lib\ns.name = \"foo\"\ns.version = Foo::VERSION\n", "foo@1.0 | s.version is not a string literal; took 1.0 from the stub line"},
		{"constant version, file name", "/s/specifications/foo-1.0.gemspec",
			"s.name = \"foo\"\ns.version = Foo::VERSION\n", "foo@1.0 | s.version is not a string literal; took 1.0 from the file name"},
		{"no version, platform file name", "/s/specifications/foo-1.0-x86_64-linux.gemspec",
			"s.name = \"foo\"\ns.platform = \"x86_64-linux\"\n", "foo@1.0@x86_64-linux | no s.version assignment; took 1.0 from the file name"},
		{"constant version, other file name", "/s/specifications/bar-1.0.gemspec",
			"s.name = \"foo\"\ns.version = Foo::VERSION\n", "error: s.version is not a string literal for gem foo, and no stub line or file name gives the version"},
		{"constant name", "/s/specifications/foo-1.0.gemspec",
			"s.name = NAME\ns.version = \"1.0\"\n", "error: no gem name found | s.name is not a string literal; not evaluated"},
		{"bad name", "/s/specifications/x.gemspec", "s.name = \"a b\"\ns.version = \"1\"\n", `error: invalid gem name "a b"`},
		{"bad version", "/s/specifications/x.gemspec", "s.name = \"a\"\ns.version = \"1;2\"\n", `error: invalid version "1;2" for gem a`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &packages.Captured{Data: []byte(tt.in), Size: int64(len(tt.in))}
			p, notes, err := readFile(packages.File{Path: tt.path, Data: c})
			got := p.Name + "@" + p.Version
			if p.Arch != "" {
				got += "@" + p.Arch
			}
			if err != nil {
				got = "error: " + err.Error()
			}
			if len(notes) > 0 {
				got += " | " + strings.Join(notes, "; ")
			}
			if got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}
