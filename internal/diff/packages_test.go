package diff

import (
	"reflect"
	"testing"

	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/packages"
)

// The versions are those of Debian 12 point releases and the 12 → 13
// upgrade.
func TestComparePackages(t *testing.T) {
	base := []packages.Package{
		dpkg("libc6", "2.36-9+deb12u4", "glibc"),
		dpkg("openssl", "3.0.11-1~deb12u2", ""),
		dpkg("libssl3", "3.0.11-1~deb12u2", "openssl"),
		dpkg("libperl5.36", "5.36.0-7+deb12u1", "perl"),
		dpkg("perl-base", "5.36.0-7+deb12u1", "perl"),
		dpkg("libgcc-s1", "12.2.0-14", "gcc-12"),
		dpkg("tzdata", "2024a-0+deb12u1", ""),
		dpkg("libdb5.3", "5.3.28+dfsg2-1", "db5.3"),
		{Ecosystem: packages.Dpkg, Name: "libc6", Version: "2.36-9+deb12u4", Location: "/var/lib/dpkg/status", Source: "glibc", Arch: "i386"},
	}
	head := []packages.Package{
		dpkg("libc6", "2.41-12", "glibc"),
		dpkg("openssl", "3.5.1-1", ""),
		dpkg("libssl3t64", "3.5.1-1", "openssl"),
		dpkg("libperl5.40", "5.40.1-6", "perl"),
		dpkg("perl-base", "5.40.1-6", "perl"),
		dpkg("libgcc-s1", "14.2.0-19", "gcc-14"),
		dpkg("tzdata", "2025b-4+deb13u1", ""),
		dpkg("libsqlite3-0", "3.46.1-7", "sqlite3"),
	}
	got := comparePackages(base, head, nil)
	wantChanged := []PackageChange{
		{Ecosystem: "dpkg", Name: "libc6", Arch: "amd64", Location: "/var/lib/dpkg/status", Source: "glibc", From: "2.36-9+deb12u4", To: "2.41-12", Bump: packages.BumpMinor},
		{Ecosystem: "dpkg", Name: "libgcc-s1", Arch: "amd64", Location: "/var/lib/dpkg/status", Source: "gcc-14", From: "12.2.0-14", To: "14.2.0-19", Bump: packages.BumpMajor},
		{Ecosystem: "dpkg", Name: "libperl5.40", PreviousName: "libperl5.36", Arch: "amd64", Location: "/var/lib/dpkg/status", Source: "perl", From: "5.36.0-7+deb12u1", To: "5.40.1-6", Bump: packages.BumpMinor},
		{Ecosystem: "dpkg", Name: "libssl3t64", PreviousName: "libssl3", Arch: "amd64", Location: "/var/lib/dpkg/status", Source: "openssl", From: "3.0.11-1~deb12u2", To: "3.5.1-1", Bump: packages.BumpMinor},
		{Ecosystem: "dpkg", Name: "openssl", Arch: "amd64", Location: "/var/lib/dpkg/status", From: "3.0.11-1~deb12u2", To: "3.5.1-1", Bump: packages.BumpMinor},
		{Ecosystem: "dpkg", Name: "perl-base", Arch: "amd64", Location: "/var/lib/dpkg/status", Source: "perl", From: "5.36.0-7+deb12u1", To: "5.40.1-6", Bump: packages.BumpMinor},
		{Ecosystem: "dpkg", Name: "tzdata", Arch: "amd64", Location: "/var/lib/dpkg/status", From: "2024a-0+deb12u1", To: "2025b-4+deb13u1", Bump: packages.BumpMinor},
	}
	if !reflect.DeepEqual(got.Changed, wantChanged) {
		t.Errorf("changed:\n got %+v\nwant %+v", got.Changed, wantChanged)
	}
	if names(got.Removed) != "libc6:i386 libdb5.3:amd64" {
		t.Errorf("removed = %s", names(got.Removed))
	}
	if names(got.Added) != "libsqlite3-0:amd64" {
		t.Errorf("added = %s", names(got.Added))
	}
}

func names(ps []packages.Package) string {
	s := ""
	for _, p := range ps {
		if s != "" {
			s += " "
		}
		s += p.Name
		if p.Arch != "" {
			s += ":" + p.Arch
		}
	}
	return s
}

// A Python package installed twice (system and a virtualenv) keeps its
// identity by location even though the dist-info directory carries the
// version.
func TestComparePackagesLocations(t *testing.T) {
	py := func(version, root string) packages.Package {
		return packages.Package{Ecosystem: packages.Python, Name: "requests", Version: version,
			Location: root + "/requests-" + version + ".dist-info/METADATA"}
	}
	base := []packages.Package{
		py("2.28.1", "/usr/lib/python3/dist-packages"),
		py("2.31.0", "/app/.venv/lib/python3.11/site-packages"),
		py("2.31.0", "/opt/tool/lib/python3.11/site-packages"),
	}
	head := []packages.Package{
		py("2.28.1", "/usr/lib/python3/dist-packages"),
		py("2.32.3", "/app/.venv/lib/python3.11/site-packages"),
	}
	got := comparePackages(base, head, nil)
	if len(got.Changed) != 1 || got.Changed[0].From != "2.31.0" || got.Changed[0].To != "2.32.3" ||
		got.Changed[0].Location != "/app/.venv/lib/python3.11/site-packages/requests-2.32.3.dist-info/METADATA" {
		t.Errorf("changed = %+v", got.Changed)
	}
	if len(got.Removed) != 1 || got.Removed[0].Location != "/opt/tool/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA" {
		t.Errorf("removed = %+v", got.Removed)
	}
	if len(got.Added) != 0 {
		t.Errorf("added = %+v", got.Added)
	}
}

func TestComparePackagesIgnore(t *testing.T) {
	base := []packages.Package{dpkg("tzdata", "2024a-0+deb12u1", ""), dpkg("curl", "7.88.1-10+deb12u5", "")}
	head := []packages.Package{dpkg("tzdata", "2025b-0+deb12u1", ""), dpkg("curl", "7.88.1-10+deb12u8", "")}
	ign, err := CompilePackages([]string{"dpkg:tz*"})
	if err != nil {
		t.Fatal(err)
	}
	got := comparePackages(base, head, ign)
	if got.Ignored != 2 || len(got.Changed) != 1 || got.Changed[0].Name != "curl" || got.Changed[0].Bump != packages.BumpRevision {
		t.Errorf("got %+v", got)
	}
}

// A source package that builds two new and one old library pairs the
// closest names and leaves the rest added.
func TestReplacementsPairClosestNames(t *testing.T) {
	base := []packages.Package{dpkg("libsystemd0", "252.22-1~deb12u1", "systemd")}
	head := []packages.Package{
		dpkg("libsystemd-shared", "257.7-1", "systemd"),
		dpkg("libsystemd0", "257.7-1", "systemd"),
		dpkg("libudev1", "257.7-1", "systemd"),
	}
	base = append(base, dpkg("libudev1", "252.22-1~deb12u1", "systemd"))
	got := comparePackages(base, head, nil)
	if len(got.Changed) != 2 || got.Changed[0].PreviousName != "" || names(got.Added) != "libsystemd-shared:amd64" {
		t.Errorf("got %+v", got)
	}
	// Apk and Go packages are never paired by source.
	goBase := []packages.Package{{Ecosystem: packages.Go, Name: "golang.org/x/net", Version: "v0.17.0", Location: "/usr/bin/app", Source: "example.com/app"}}
	goHead := []packages.Package{{Ecosystem: packages.Go, Name: "golang.org/x/text", Version: "v0.14.0", Location: "/usr/bin/app", Source: "example.com/app"}}
	got = comparePackages(goBase, goHead, nil)
	if len(got.Changed) != 0 || len(got.Added) != 1 || len(got.Removed) != 1 {
		t.Errorf("go modules paired: %+v", got)
	}
}

func TestCompareSameVersionSpelledApart(t *testing.T) {
	base := []packages.Package{{Ecosystem: packages.Python, Name: "six", Version: "1.16", Location: "/x/six-1.16.dist-info/METADATA"}}
	head := []packages.Package{{Ecosystem: packages.Python, Name: "six", Version: "1.16.0", Location: "/x/six-1.16.0.dist-info/METADATA"}}
	if got := comparePackages(base, head, nil); len(got.Changed)+len(got.Added)+len(got.Removed) != 0 {
		t.Errorf("got %+v", got)
	}
}

func TestCompareIdentical(t *testing.T) {
	inv := &inventory.Inventory{
		Digest: "sha256:aaaa",
		Layers: []inventory.Layer{{Digest: "sha256:l1", DiffID: "sha256:d1"}},
		// Unsorted and duplicated: would produce changes if it were read.
		Files:    []inventory.File{file("/b", 1, "x"), file("/a", 1, "y")},
		Packages: []packages.Package{dpkg("bash", "5.2.15-2+b2", "")},
		OS:       inventory.OS{ID: "debian", VersionID: "12"},
	}
	other := *inv
	other.Files = []inventory.File{file("/c", 1, "z")}
	for name, head := range map[string]*inventory.Inventory{"same pointer": inv, "same digest": &other} {
		ch := Compare(inv, head, DefaultOptions())
		if !ch.Identical || len(ch.Files.Entries) != 0 || len(ch.Packages.Added) != 0 || ch.Layers.Shared != 1 || ch.OS.Changed || ch.BaseImage.Changed {
			t.Errorf("%s: %+v", name, ch)
		}
	}
}

// A package whose architecture changes from one release to the next
// (catch2: amd64 in Debian 12, all in 13) is one upgrade, in every
// distribution ecosystem; two architectures side by side keep apart.
func TestComparePackagesArchitectureChange(t *testing.T) {
	for _, eco := range []string{packages.Dpkg, packages.RPM, packages.Apk} {
		pkg := func(name, version, arch string) packages.Package {
			return packages.Package{Ecosystem: eco, Name: name, Version: version, Arch: arch, Location: "/db"}
		}
		base := []packages.Package{pkg("catch2", "2.13.10-1", "amd64"), pkg("libz", "1.2-1", "amd64"), pkg("libz", "1.2-1", "i386")}
		head := []packages.Package{pkg("catch2", "3.7.1-0.5", "all"), pkg("libz", "1.3-1", "amd64")}
		got := comparePackages(base, head, nil)
		var changed []string
		for _, c := range got.Changed {
			changed = append(changed, c.Name+":"+c.Arch+" "+c.From+" → "+c.To)
		}
		want := []string{"catch2:all 2.13.10-1 → 3.7.1-0.5", "libz:amd64 1.2-1 → 1.3-1"}
		if !reflect.DeepEqual(changed, want) || len(got.Added) != 0 || names(got.Removed) != "libz:i386" {
			t.Errorf("%s: changed %q, added %s, removed %s; want %q and libz:i386 removed", eco, changed, names(got.Added), names(got.Removed), want)
		}
	}
}
