package diff

import (
	"path"
	"testing"
)

func TestPathSet(t *testing.T) {
	tests := []struct {
		pattern string
		path    string
		want    bool
	}{
		{"*.pyc", "/usr/lib/python3.11/__pycache__/os.cpython-311.pyc", true},
		{"*.pyc", "/usr/lib/python3.11/os.py", false},
		{"__pycache__", "/usr/lib/python3.11/__pycache__/os.cpython-311.pyc", true},
		{"__pycache__", "/usr/lib/python3.11/__pycache__", true},
		{"__pycache__", "/usr/lib/python3.11/pycache", false},
		{"/var/cache", "/var/cache/apt/pkgcache.bin", true},
		{"/var/cache", "/var/cache", true},
		{"/var/cache", "/var/cached", false},
		{"/var/cache/", "/var/cache/debconf/templates.dat", true},
		{"var/log", "/var/log/dpkg.log", true},
		{"/var/lib/dpkg/*-old", "/var/lib/dpkg/status-old", true},
		{"/var/lib/dpkg/*-old", "/var/lib/dpkg/status", false},
		{"/var/lib/dpkg/lock*", "/var/lib/dpkg/lock-frontend", true},
		{"/usr/**/*.so", "/usr/lib/x86_64-linux-gnu/libz.so", true},
		{"/usr/**/*.so", "/usr/libz.so", true},
		{"/usr/**/*.so", "/opt/lib/libz.so", false},
		{"/**/node_modules/.cache", "/app/node_modules/.cache/babel/x.json", true},
		{"/**/node_modules/.cache", "/node_modules/.cache", true},
		{"/usr/share/doc/*/changelog*", "/usr/share/doc/bash/changelog.Debian.gz", true},
		{"/usr/share/doc/*/changelog*", "/usr/share/doc/bash/copyright", false},
		{"/usr/lib/python3.1?/site-packages", "/usr/lib/python3.12/site-packages/x", true},
		{"/usr/lib/python3.[0-9]", "/usr/lib/python3.9/os.py", true},
		{"/etc/ld.so.cache", "/etc/ld.so.cache", true},
		{"/etc/ld.so.cache", "/etc/ld.so.conf", false},
		{"/**", "/anything/at/all", true},
		{"/a/**/b/**/c", "/a/x/b/y/z/c/d", true},
		{"/a/**/b/**/c", "/a/x/c/y/b", false},
	}
	for _, tt := range tests {
		s, err := CompilePaths([]string{tt.pattern})
		if err != nil {
			t.Fatalf("CompilePaths(%q): %v", tt.pattern, err)
		}
		if got := s.Match(tt.path); got != tt.want {
			t.Errorf("%q matching %q = %v, want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
}

func TestCompilePathsErrors(t *testing.T) {
	for _, p := range []string{"", "  ", "/usr/[", "a[b"} {
		if _, err := CompilePaths([]string{p}); err == nil {
			t.Errorf("CompilePaths(%q) succeeded, want an error", p)
		}
	}
}

func TestNilSetsMatchNothing(t *testing.T) {
	var ps *PathSet
	var pk *PackageSet
	if ps.Match("/x") || pk.Match("dpkg", "x") || ps.Len() != 0 {
		t.Fatal("nil sets matched")
	}
}

func TestPackageSet(t *testing.T) {
	tests := []struct {
		pattern, eco, name string
		want               bool
	}{
		{"tzdata", "dpkg", "tzdata", true},
		{"tzdata", "apk", "tzdata", true},
		{"dpkg:tzdata", "apk", "tzdata", false},
		{"dpkg:lib*", "dpkg", "libssl3t64", true},
		{"npm:@types/*", "npm", "@types/node", true},
		{"npm:@types/*", "npm", "@typescript-eslint/parser", false},
		{"go:golang.org/x/*", "go", "golang.org/x/net", true},
		{"org.apache.commons:commons-*", "java", "org.apache.commons:commons-lang3", true},
		{"python:boto?", "python", "boto3", true},
		{"python:boto?", "python", "botocore", false},
		{"*", "cargo", "serde", true},
		{"a*b*c", "npm", "axxbyyc", true},
		{"a*b*c", "npm", "axxbyy", false},
	}
	for _, tt := range tests {
		s, err := CompilePackages([]string{tt.pattern})
		if err != nil {
			t.Fatalf("CompilePackages(%q): %v", tt.pattern, err)
		}
		if got := s.Match(tt.eco, tt.name); got != tt.want {
			t.Errorf("%q matching %s:%s = %v, want %v", tt.pattern, tt.eco, tt.name, got, tt.want)
		}
	}
	if _, err := CompilePackages([]string{"dpkg:"}); err == nil {
		t.Error(`CompilePackages("dpkg:") succeeded`)
	}
}

func FuzzPathSet(f *testing.F) {
	f.Add("/usr/**/*.so", "/usr/lib/libz.so")
	f.Add("*.pyc", "/a/b.pyc")
	f.Add("/a/**/b/**/**/c", "/a/b/c/b/c")
	f.Fuzz(func(t *testing.T, pattern, p string) {
		s, err := CompilePaths([]string{pattern})
		if err != nil {
			return
		}
		p = path.Clean("/" + p)
		if s.Match(p) != s.Match(p+"/child") && s.Match(p) && !s.pats[0].anywhere {
			t.Fatalf("%q matches %q but not a path under it", pattern, p)
		}
	})
}

func FuzzWildcard(f *testing.F) {
	f.Add("a*b?c", "axxbyc")
	f.Fuzz(func(t *testing.T, p, s string) {
		if !wildcard(p, p) && !containsMeta(p) {
			t.Fatalf("literal %q does not match itself", p)
		}
		wildcard(p, s)
	})
}

func containsMeta(s string) bool {
	for _, r := range s {
		if r == '*' || r == '?' {
			return true
		}
	}
	return false
}
