// Package difftest synthesises pairs of inventories with the shapes of real
// Debian-based images, for tests and benchmarks of the diff, risk and report
// stages.
package difftest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/packages"
)

// Pair returns a base inventory of about files paths and pkgs packages,
// and a head that drifted from it as a routine update does: a few percent
// of the files rewritten, added or removed, a fifth of the packages
// upgraded, some removed and added. The same seed gives the same pair.
func Pair(seed uint64, files, pkgs int) (base, head *inventory.Inventory) {
	r := rand.New(rand.NewPCG(seed, 0x1dea))
	names := packageNames(r, pkgs)
	base = &inventory.Inventory{
		SchemaVersion: inventory.SchemaVersion, Ref: "registry.example/app:base",
		Digest: digest(r), ConfigDigest: digest(r), Platform: "linux/amd64",
		OS: inventory.OS{ID: "debian", VersionID: "12", PrettyName: "Debian GNU/Linux 12 (bookworm)"},
	}
	for i, n := range names {
		base.Packages = append(base.Packages, packages.Package{Ecosystem: packages.Dpkg, Name: n,
			Version:  fmt.Sprintf("%d.%d.%d-%d+deb12u%d", 1+i%7, i%13, i%5, 1+i%3, 1+i%4),
			Location: "/var/lib/dpkg/status", Arch: "amd64"})
	}
	base.Files = tree(r, names, files)
	base.Layers = []inventory.Layer{{Digest: digest(r), DiffID: digest(r), Size: 30 << 20}, {Digest: digest(r), DiffID: digest(r), Size: 80 << 20}}
	head = drift(r, base)
	for _, inv := range []*inventory.Inventory{base, head} {
		inv.Size, inv.CompressedSize = 0, 0
		for _, f := range inv.Files {
			inv.Size += f.Size
		}
		for _, l := range inv.Layers {
			inv.CompressedSize += l.Size
		}
	}
	return base, head
}

var syllables = []string{"ssl", "curl", "xml", "z", "ffi", "gcc", "krb", "ldap", "ncurses", "pcre",
	"sqlite", "systemd", "udev", "uuid", "yaml", "zstd", "lz", "gnutls", "idn", "nettle",
	"python", "perl", "ruby", "node", "java", "git", "gpg", "apt", "dpkg", "tar"}

func packageNames(r *rand.Rand, n int) []string {
	seen := map[string]bool{}
	var out []string
	for len(out) < n {
		s := syllables[r.IntN(len(syllables))]
		name := s
		switch r.IntN(4) {
		case 0:
			name = fmt.Sprintf("lib%s%d", s, r.IntN(10))
		case 1:
			name = fmt.Sprintf("%s-%s", s, syllables[r.IntN(len(syllables))])
		case 2:
			name = fmt.Sprintf("lib%s-dev", s+syllables[r.IntN(len(syllables))])
		}
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	return out
}

var langs = []string{"de", "es", "fr", "it", "ja", "pt_BR", "ru", "zh_CN"}

// tree lays out files the way Debian packages do.
func tree(r *rand.Rand, names []string, n int) []inventory.File {
	set := map[string]inventory.File{}
	addDir := func(p string) {
		for d := p; d != "/" && d != "."; d = parent(d) {
			if _, ok := set[d]; ok {
				break
			}
			set[d] = inventory.File{Path: d, Type: inventory.TypeDir, Mode: 0o755}
		}
	}
	add := func(p string, size int64) {
		addDir(parent(p))
		set[p] = inventory.File{Path: p, Type: inventory.TypeFile, Mode: 0o644, Size: size, SHA256: sum(r)}
	}
	for len(set) < n {
		pkg := names[r.IntN(len(names))]
		switch r.IntN(10) {
		case 0:
			add("/usr/share/doc/"+pkg+"/copyright", 1000+r.Int64N(20000))
			add("/usr/share/doc/"+pkg+"/changelog.Debian.gz", 500+r.Int64N(5000))
		case 1:
			add(fmt.Sprintf("/usr/share/man/man%d/%s.%d.gz", 1+r.IntN(8), pkg, 1+r.IntN(8)), 800+r.Int64N(8000))
		case 2:
			add("/usr/share/locale/"+langs[r.IntN(len(langs))]+"/LC_MESSAGES/"+pkg+".mo", 2000+r.Int64N(90000))
		case 3:
			add(fmt.Sprintf("/usr/lib/x86_64-linux-gnu/%s.so.%d.%d", pkg, r.IntN(4), r.IntN(20)), 20000+r.Int64N(3_000_000))
		case 4:
			mod := fmt.Sprintf("/usr/lib/python3/dist-packages/%s/%s", strings.ReplaceAll(pkg, "-", "_"), syllables[r.IntN(len(syllables))])
			f := syllables[r.IntN(len(syllables))]
			add(mod+"/"+f+".py", 500+r.Int64N(40000))
			add(mod+"/__pycache__/"+f+".cpython-311.pyc", 500+r.Int64N(40000))
		case 5:
			add(fmt.Sprintf("/usr/lib/node_modules/%s/lib/%s.js", pkg, syllables[r.IntN(len(syllables))]), 300+r.Int64N(30000))
		case 6:
			add("/usr/bin/"+pkg, 30000+r.Int64N(2_000_000))
		case 7:
			add("/var/lib/dpkg/info/"+pkg+".list", 100+r.Int64N(5000))
			add("/var/lib/dpkg/info/"+pkg+".md5sums", 100+r.Int64N(5000))
		case 8:
			add(fmt.Sprintf("/usr/share/zoneinfo/%s/City%d", strings.ToUpper(pkg[:1])+pkg[1:], r.IntN(50)), 100+r.Int64N(3000))
		default:
			add(fmt.Sprintf("/usr/include/%s/%s.h", pkg, syllables[r.IntN(len(syllables))]), 200+r.Int64N(60000))
		}
	}
	out := make([]inventory.File, 0, len(set))
	for _, f := range set {
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b inventory.File) int { return strings.Compare(a.Path, b.Path) })
	return out
}

func drift(r *rand.Rand, base *inventory.Inventory) *inventory.Inventory {
	head := *base
	head.Ref, head.Digest, head.ConfigDigest = "registry.example/app:head", digest(r), digest(r)
	head.Layers = append(slices.Clone(base.Layers[:1]), inventory.Layer{Digest: digest(r), DiffID: digest(r), Size: 85 << 20})
	head.Files = nil
	for _, f := range base.Files {
		switch x := r.IntN(100); {
		case x < 2 && f.Type == inventory.TypeFile:
			continue // removed
		case x < 7 && f.Type == inventory.TypeFile:
			f.SHA256 = sum(r)
			f.Size = max(0, f.Size+r.Int64N(4000)-1000)
		case x == 7:
			f.Mode = 0o600
		}
		head.Files = append(head.Files, f)
	}
	extra := tree(r, packageNames(r, 40), len(base.Files)/30)
	head.Files = mergeFiles(head.Files, extra)
	head.Packages = nil
	for _, p := range base.Packages {
		switch x := r.IntN(100); {
		case x < 1:
			continue
		case x < 15:
			p.Version = strings.Replace(p.Version, "deb12u", "deb12u9", 1)
		case x < 19:
			p.Version = bumpMinor(p.Version)
		case x < 20:
			p.Version = "9" + p.Version
		}
		head.Packages = append(head.Packages, p)
	}
	for i := 0; i < len(base.Packages)/50; i++ {
		head.Packages = append(head.Packages, packages.Package{Ecosystem: packages.Dpkg,
			Name: fmt.Sprintf("newpkg%d", i), Version: "1.0-1", Location: "/var/lib/dpkg/status", Arch: "amd64"})
	}
	return &head
}

func bumpMinor(v string) string {
	maj, rest, _ := strings.Cut(v, ".")
	return maj + ".99." + rest
}

func mergeFiles(a, b []inventory.File) []inventory.File {
	seen := map[string]bool{}
	for _, f := range a {
		seen[f.Path] = true
	}
	for _, f := range b {
		if !seen[f.Path] {
			a = append(a, f)
		}
	}
	slices.SortFunc(a, func(x, y inventory.File) int { return strings.Compare(x.Path, y.Path) })
	return a
}

func parent(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i <= 0 {
		return "/"
	}
	return p[:i]
}

func hex(r *rand.Rand) string {
	return fmt.Sprintf("%016x%016x%016x%016x", r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64())
}

func digest(r *rand.Rand) string { return "sha256:" + hex(r) }

// sum is a content digest, the same bytes as hex(r) would print.
func sum(r *rand.Rand) inventory.Digest {
	var d inventory.Digest
	if err := d.UnmarshalText([]byte(hex(r))); err != nil {
		panic(err)
	}
	return d
}
