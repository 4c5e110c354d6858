package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/diff"
	"github.com/imagedrift/imagedrift/internal/risk"
)

const full = `# imagedrift settings for this repository
version: 1
failOn: [high, major-bump]
ignore:
  paths:
    - /app/build-info.json
    - "/usr/share/doc/**"
  packages: ["dpkg:tzdata", "npm:@types/*"]
noise:
  defaults: false
  paths: [/var/cache, "*.pyc"]
thresholds:
  sizePercent: 7.5
  sizeBytes: 50MB
  files: 2_000
risks:
  levels:
    package-added: "off"
    downgrade: medium
    lint:apt-unpinned: low
  allowMajor: ["python:boto*"]
lint:
  target: runtime
  deployTarget: production
  disable: [pipe-to-shell]
  levels: {apt-unpinned: high}
comment:
  key: api-image
  when: always
`

func TestParseFull(t *testing.T) {
	c, err := Parse("imagedrift.yml", []byte(full))
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		Path:           "imagedrift.yml",
		IgnorePaths:    []string{"/app/build-info.json", "/usr/share/doc/**"},
		IgnorePackages: []string{"dpkg:tzdata", "npm:@types/*"},
		NoisePaths:     []string{"/var/cache", "*.pyc"},
		NoiseDefaults:  false,
		SizePercent:    7.5,
		SizeBytes:      50_000_000,
		Files:          2000,
		RiskLevels:     map[string]risk.Level{"package-added": risk.Off, "downgrade": risk.Medium, "lint:apt-unpinned": risk.Low},
		AllowMajor:     []string{"python:boto*"},
		FailOn:         []string{"high", "major-bump"},
		Lint: Lint{Target: "runtime", DeployTarget: "production",
			Disabled: map[string]bool{"pipe-to-shell": true}, Levels: map[string]string{"apt-unpinned": "high"}},
		Comment: Comment{Key: "api-image", When: WhenAlways},
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got  %+v\nwant %+v", c, want)
	}
	if o := c.DiffOptions(); !reflect.DeepEqual(o.NoisePaths, []string{"/var/cache", "*.pyc"}) {
		t.Errorf("noise without defaults = %v", o.NoisePaths)
	}
	p := c.Policy(nil)
	if !reflect.DeepEqual(p.FailOn, []string{"high", "major-bump"}) || p.SizeBytes != 50_000_000 || p.Levels["downgrade"] != risk.Medium {
		t.Errorf("policy %+v", p)
	}
	if p := c.Policy([]string{}); len(p.FailOn) != 0 || p.FailOn == nil {
		t.Errorf("an empty --fail-on must override the file: %+v", p.FailOn)
	}
}

func TestDefaults(t *testing.T) {
	for _, src := range []string{"", "# nothing yet\n", "---\n", "ignore:\n"} {
		c, err := Parse("x.yml", []byte(src))
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		c.Path = ""
		if !reflect.DeepEqual(c, Default()) {
			t.Errorf("%q: got %+v", src, c)
		}
	}
	d := Default()
	o := d.DiffOptions()
	if !reflect.DeepEqual(o.NoisePaths, diff.DefaultNoisePaths) {
		t.Errorf("default noise = %v", o.NoisePaths)
	}
	p := d.Policy(nil)
	if p.SizePercent != 10 || p.Files != 1000 || p.FailOn == nil || len(p.FailOn) != 0 {
		t.Errorf("default policy %+v", p)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"ignor:\n  paths: [/x]\n", `c.yml:1: unknown key "ignor" (known: version, failOn, ignore, noise, thresholds, risks, lint, comment)`},
		{"ignore:\n  path: [/x]\n", `c.yml:2: ignore: unknown key "path" (known: paths, packages)`},
		{"thresholds:\n  sizePercent: ten\n", `c.yml:2: thresholds.sizePercent: want a number of 0 or more, got "ten"`},
		{"thresholds:\n  sizePercent: -1\n", `c.yml:2: thresholds.sizePercent: want a number of 0 or more, got "-1"`},
		{"thresholds:\n  files: 1.5\n", `c.yml:2: thresholds.files: want a whole number of 0 or more, got "1.5"`},
		{"thresholds:\n  sizeBytes: 5 parsecs\n", `c.yml:2: thresholds.sizeBytes: want a size such as 52428800, 50MB or 48MiB, got "5 parsecs"`},
		{"failOn: [high, hgih]\n", `c.yml:1: failOn: unknown risk id or level "hgih"`},
		{"ignore:\n  paths:\n    - /ok\n    - /usr/[\n", `c.yml:4: ignore.paths[1]: path pattern "/usr/[": syntax error in pattern`},
		{"risks:\n  levels:\n    major-bmp: high\n", `c.yml:3: risks.levels.major-bmp: unknown risk id "major-bmp"`},
		{"risks:\n  levels:\n    major-bump: severe\n", `c.yml:3: risks.levels.major-bump: unknown level "severe"`},
		{"lint:\n  levels:\n    apt-unpinned: \"off\"\n", `c.yml:3: lint.levels.apt-unpinned: unknown level "off"`},
		{"lint:\n  disable: [pipe-to-sh]\n", `c.yml:2: lint.disable[0]: unknown lint rule "pipe-to-sh"`},
		{"lint:\n  levels: {latest: high}\n", `c.yml:2: lint.levels.latest: unknown lint rule "latest"`},
		{"risks:\n  levels:\n    lint:nope: high\n", `c.yml:3: risks.levels.lint:nope: unknown risk id "lint:nope"`},
		{"failOn: [lint:nope]\n", `c.yml:1: failOn: "lint:nope" names no lint rule`},
		{"comment:\n  when: sometimes\n", `c.yml:2: comment.when: unknown value "sometimes"`},
		{"noise:\n  defaults: yes please\n", `c.yml:2: noise.defaults: want true or false, got "yes please"`},
		{"ignore: [/x]\n", `c.yml:1: ignore: want a mapping, got a list`},
		{"ignore:\n  paths: {a: b}\n", `c.yml:2: ignore.paths: want a string, got a mapping`},
		{"version: 2\n", `c.yml:1: version: unsupported version 2`},
		{"failOn: high\nfailOn: low\n", `c.yml:2: failOn: duplicate key`},
		{"x: &a [1]\nignore:\n  paths: *a\n", `c.yml:1: unknown key "x"`},
		{"ignore:\n  paths: *a\n", `c.yml`},
		{"a: b\n---\nc: d\n", `want one YAML document`},
		{"\t- bad", `c.yml`},
	}
	for _, tt := range tests {
		_, err := Parse("c.yml", []byte(tt.src))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) error = %v\nwant it to contain %q", tt.src, err, tt.want)
		}
	}
}

func TestParseReportsSeveralErrors(t *testing.T) {
	_, err := Parse("c.yml", []byte("thresholds:\n  sizePercent: x\n  files: y\ncomment:\n  when: z\n"))
	if err == nil || strings.Count(err.Error(), "c.yml:") != 3 {
		t.Errorf("error = %v", err)
	}
}

func TestAliasesRefused(t *testing.T) {
	src := "ignore:\n  paths: &p [/a]\n  packages: *p\n"
	_, err := Parse("c.yml", []byte(src))
	if err == nil || !strings.Contains(err.Error(), "c.yml:3: ignore.packages: YAML aliases are not supported") {
		t.Errorf("error = %v", err)
	}
}

func TestFailOnString(t *testing.T) {
	c, err := Parse("c.yml", []byte("failOn: \"medium, lint:*\"\n"))
	if err != nil || !reflect.DeepEqual(c.FailOn, []string{"medium", "lint:*"}) {
		t.Errorf("failOn = %v, %v", c.FailOn, err)
	}
	c, err = Parse("c.yml", []byte("failOn: none\n"))
	if err != nil || c.FailOn == nil || len(c.FailOn) != 0 {
		t.Errorf("failOn none = %#v, %v", c.FailOn, err)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	c, err := Load("")
	if err != nil || c.Path != "" {
		t.Fatalf("no file: %+v, %v", c, err)
	}
	if _, err := Load("missing.yml"); err == nil || !strings.Contains(err.Error(), "missing.yml") {
		t.Errorf("named missing file: %v", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, ".github"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".github", "imagedrift.yml"), []byte("failOn: high\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err = Load("")
	if err != nil || c.Path != ".github/imagedrift.yml" || c.FailOn[0] != "high" {
		t.Fatalf("default file: %+v, %v", c, err)
	}
	big := filepath.Join(dir, "big.yml")
	if err := os.WriteFile(big, []byte("#"+strings.Repeat("x", MaxSize)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(big); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("big file: %v", err)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "52428800": 52428800, "50MB": 50e6, "50 MiB": 50 << 20,
		"1.5GiB": 3 << 29, "2kb": 2000, "10_000": 10000} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "MB", "-5MB", "5 XB", "1e30TB", "1.2.3"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) succeeded", in)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(full))
	f.Add([]byte("ignore:\n  paths: &p [/a]\n  packages: *p\n"))
	f.Add([]byte("thresholds: {sizeBytes: 1.5GiB}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("f.yml", data)
		if err != nil {
			if c != nil {
				t.Fatal("config and error")
			}
			return
		}
		// What parses must be usable as it is.
		if _, err := diff.CompilePaths(c.DiffOptions().IgnorePaths); err != nil {
			t.Fatal(err)
		}
		if _, err := diff.CompilePackages(c.AllowMajor); err != nil {
			t.Fatal(err)
		}
	})
}

// The documented example must parse to what its comments say.
func TestExample(t *testing.T) {
	c, err := Load("testdata/example.yml")
	if err != nil {
		t.Fatal(err)
	}
	if !c.NoiseDefaults || c.SizeBytes != 50_000_000 || c.Files != 1000 || c.RiskLevels["package-added"] != risk.Off ||
		c.RiskLevels["vulnerability-introduced"] != risk.High ||
		!c.Lint.Disabled["arg-not-recorded"] || c.Comment.When != WhenChanges || len(c.DiffOptions().NoisePaths) != len(diff.DefaultNoisePaths)+1 {
		t.Errorf("example parsed as %+v", c)
	}
}
