package packages

import (
	"errors"
	"testing"
)

// TestRulesOSV pins how each ecosystem's packages are named to OSV. The
// Debian rows come from a recorded osv-scanner query of a Debian 10 image
// (util-linux is found by its source version, not by bsdutils' epoch).
func TestRulesOSV(t *testing.T) {
	debian10 := Distro{ID: "debian", VersionID: "10", PrettyName: "Debian GNU/Linux 10 (buster)"}
	tests := []struct {
		name string
		p    Package
		d    Distro
		want OSVPackage
	}{
		{"source of a binary with an epoch", Package{Ecosystem: Dpkg, Name: "bsdutils", Version: "1:2.33.1-0.1", Source: "util-linux", SourceVersion: "2.33.1-0.1"},
			debian10, OSVPackage{"Debian:10", "util-linux", "2.33.1-0.1"}},
		{"epoch of the source kept", Package{Ecosystem: Dpkg, Name: "zlib1g", Version: "1:1.2.11.dfsg-1+deb10u2", Source: "zlib", SourceVersion: "1:1.2.11.dfsg-1+deb10u2"},
			debian10, OSVPackage{"Debian:10", "zlib", "1:1.2.11.dfsg-1+deb10u2"}},
		{"binary is its own source", Package{Ecosystem: Dpkg, Name: "dpkg", Version: "1.18.25"},
			Distro{ID: "debian", VersionID: "9"}, OSVPackage{"Debian:9", "dpkg", "1.18.25"}},
		{"Ubuntu LTS from PRETTY_NAME", Package{Ecosystem: Dpkg, Name: "libc6", Version: "2.35-0ubuntu3.8", Source: "glibc"},
			Distro{ID: "ubuntu", VersionID: "22.04", PrettyName: "Ubuntu 22.04.4 LTS"}, OSVPackage{"Ubuntu:22.04:LTS", "glibc", "2.35-0ubuntu3.8"}},
		{"Ubuntu LTS from the number", Package{Ecosystem: Dpkg, Name: "bash", Version: "5.0-6ubuntu1"},
			Distro{ID: "ubuntu", VersionID: "20.04"}, OSVPackage{"Ubuntu:20.04:LTS", "bash", "5.0-6ubuntu1"}},
		{"Ubuntu interim release", Package{Ecosystem: Dpkg, Name: "bash", Version: "5.2.21-2ubuntu4"},
			Distro{ID: "ubuntu", VersionID: "23.10", PrettyName: "Ubuntu 23.10"}, OSVPackage{"Ubuntu:23.10", "bash", "5.2.21-2ubuntu4"}},
		{"Alpine branch and origin", Package{Ecosystem: Apk, Name: "libssl3", Version: "3.1.7-r0", Source: "openssl"},
			Distro{ID: "alpine", VersionID: "3.18.9"}, OSVPackage{"Alpine:v3.18", "openssl", "3.1.7-r0"}},
		{"Wolfi", Package{Ecosystem: Apk, Name: "glibc", Version: "2.40-r3"},
			Distro{ID: "wolfi", VersionID: "20230201"}, OSVPackage{"Wolfi", "glibc", "2.40-r3"}},
		{"AlmaLinux binary with epoch", Package{Ecosystem: RPM, Name: "openssl-libs", Version: "1:3.0.7-27.el9", Source: "openssl", SourceVersion: "3.0.7-27.el9"},
			Distro{ID: "almalinux", VersionID: "9.4"}, OSVPackage{"AlmaLinux:9", "openssl-libs", "1:3.0.7-27.el9"}},
		{"Rocky Linux", Package{Ecosystem: RPM, Name: "bash", Version: "4.4.20-4.el8_6"},
			Distro{ID: "rocky", VersionID: "8.9"}, OSVPackage{"Rocky Linux:8", "bash", "4.4.20-4.el8_6"}},
		{"PyPI normalised", Package{Ecosystem: Python, Name: "Zope.Interface", Version: "6.0"}, Distro{}, OSVPackage{"PyPI", "zope-interface", "6.0"}},
		{"Go module without v", Package{Ecosystem: Go, Name: "github.com/opencontainers/runc", Version: "v1.0.1"}, Distro{}, OSVPackage{"Go", "github.com/opencontainers/runc", "1.0.1"}},
		{"Go toolchain", Package{Ecosystem: Go, Name: "stdlib", Version: "v1.21.2"}, Distro{}, OSVPackage{"Go", "stdlib", "1.21.2"}},
		{"Maven", Package{Ecosystem: Java, Name: "org.apache.logging.log4j:log4j-core", Version: "2.12.2"}, Distro{}, OSVPackage{"Maven", "org.apache.logging.log4j:log4j-core", "2.12.2"}},
		{"npm scoped", Package{Ecosystem: Npm, Name: "@babel/core", Version: "7.24.0"}, Distro{}, OSVPackage{"npm", "@babel/core", "7.24.0"}},
		{"RubyGems", Package{Ecosystem: Gem, Name: "rack", Version: "2.2.8"}, Distro{}, OSVPackage{"RubyGems", "rack", "2.2.8"}},
		{"Packagist", Package{Ecosystem: Composer, Name: "league/flysystem", Version: "1.1.3"}, Distro{}, OSVPackage{"Packagist", "league/flysystem", "1.1.3"}},
		{"crates.io", Package{Ecosystem: Cargo, Name: "tokio", Version: "1.42.0"}, Distro{}, OSVPackage{"crates.io", "tokio", "1.42.0"}},
		{"NuGet", Package{Ecosystem: Nuget, Name: "Newtonsoft.Json", Version: "12.0.3"}, Distro{}, OSVPackage{"NuGet", "Newtonsoft.Json", "12.0.3"}},
	}
	for _, tt := range tests {
		got, err := Rules(tt.p.Ecosystem).OSV(tt.p, tt.d)
		if err != nil || got != tt.want {
			t.Errorf("%s: OSV = %+v, %v; want %+v", tt.name, got, err, tt.want)
		}
	}
}

func TestRulesOSVUnsupported(t *testing.T) {
	tests := []struct {
		name string
		p    Package
		d    Distro
	}{
		{"Debian testing", Package{Ecosystem: Dpkg, Name: "bash", Version: "5.2-1"}, Distro{ID: "debian", PrettyName: "Debian GNU/Linux trixie/sid"}},
		{"dpkg elsewhere", Package{Ecosystem: Dpkg, Name: "bash", Version: "5.2-1"}, Distro{ID: "linuxmint", VersionID: "21"}},
		{"Alpine edge", Package{Ecosystem: Apk, Name: "musl", Version: "1.2.5-r0"}, Distro{ID: "alpine", VersionID: "edge"}},
		{"Red Hat needs its CPE", Package{Ecosystem: RPM, Name: "bash", Version: "5.1.8-9.el9"}, Distro{ID: "rhel", VersionID: "9.4"}},
		{"no os-release", Package{Ecosystem: RPM, Name: "bash", Version: "5.1.8-9.el9"}, Distro{}},
		{"Maven without groupId", Package{Ecosystem: Java, Name: "log4j-core", Version: "2.17.1"}, Distro{}},
		{"unknown ecosystem", Package{Ecosystem: "conda", Name: "numpy", Version: "1.26.4"}, Distro{}},
	}
	for _, tt := range tests {
		got, err := Rules(tt.p.Ecosystem).OSV(tt.p, tt.d)
		if !errors.Is(err, ErrNoOSVEcosystem) {
			t.Errorf("%s: OSV = %+v, %v; want ErrNoOSVEcosystem", tt.name, got, err)
		}
	}
}

// TestRulesOSVDevel: a Go module built from a checkout names no release
// OSV could have ranges for.
func TestRulesOSVDevel(t *testing.T) {
	p := Package{Ecosystem: Go, Name: "example.com/app", Version: "(devel)"}
	if got, err := Rules(Go).OSV(p, Distro{}); !errors.Is(err, ErrVersion) {
		t.Errorf("OSV = %+v, %v; want ErrVersion", got, err)
	}
}

func TestRulesNormalize(t *testing.T) {
	tests := []struct{ eco, in, want string }{
		{Python, "Flask_SQLAlchemy", "flask-sqlalchemy"},
		{Python, "zope..interface", "zope-interface"},
		{Python, "a-_.b", "a-b"},
		{Npm, "Left_Pad", "Left_Pad"},
		{"conda", "Foo.Bar", "Foo.Bar"},
	}
	for _, tt := range tests {
		if got := Rules(tt.eco).Normalize(tt.in); got != tt.want {
			t.Errorf("Rules(%s).Normalize(%q) = %q, want %q", tt.eco, tt.in, got, tt.want)
		}
	}
}

// TestRulesKnown: every ecosystem the catalogers report has rules of its
// own; anything else falls back to NaturalCompare.
func TestRulesKnown(t *testing.T) {
	for _, eco := range []string{Dpkg, Apk, RPM, Python, Npm, Go, Java, Gem, Composer, Cargo, Nuget} {
		if !Rules(eco).Known() {
			t.Errorf("Rules(%q) is not known", eco)
		}
	}
	if r := Rules("conda"); r.Known() {
		t.Error(`Rules("conda") is known`)
	}
	if c, err := Rules("conda").Compare("1.10", "1.9"); err != nil || c != 1 {
		t.Errorf(`unknown ecosystem: Compare("1.10", "1.9") = %d, %v; want 1 (natural order)`, c, err)
	}
}
