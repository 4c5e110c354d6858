package golang

import (
	"go/version"
	"runtime/debug"
	"strings"

	"github.com/imagedrift/imagedrift/internal/packages"
	"golang.org/x/mod/modfile"
)

// binaryPackages lists the modules of one executable: the main module,
// every dependency and the standard library as "stdlib" at the toolchain
// version. A dependency replaced by another module version is reported
// as the replacement (the code that was compiled in); one replaced by a
// local directory keeps its own path, with the version "(devel)".
func binaryPackages(path string, b *Binary) []packages.Package {
	bi := b.Info
	arch := setting(bi, "GOARCH")
	main := bi.Main.Path
	pkgs := make([]packages.Package, 0, len(bi.Deps)+2)
	if main != "" {
		pkgs = append(pkgs, packages.Package{Ecosystem: packages.Go, Name: main,
			Version: bi.Main.Version, Location: path, Arch: arch})
	}
	for _, d := range bi.Deps {
		name, vers := d.Path, d.Version
		if r := d.Replace; r != nil {
			name, vers = r.Path, r.Version
			if modfile.IsDirectoryPath(r.Path) {
				name = d.Path
			}
			if vers == "" {
				vers = "(devel)"
			}
		}
		pkgs = append(pkgs, packages.Package{Ecosystem: packages.Go, Name: name,
			Version: vers, Location: path, Source: main, Arch: arch})
	}
	pkgs = append(pkgs, packages.Package{Ecosystem: packages.Go, Name: "stdlib",
		Version: toolchainVersion(b.GoVersion), Location: path, Source: main, Arch: arch})
	return pkgs
}

func setting(bi *debug.BuildInfo, key string) string {
	for _, s := range bi.Settings {
		if s.Key == key {
			return s.Value
		}
	}
	return ""
}

// toolchainVersion turns a Go version such as "go1.22.3",
// "go1.21rc2 X:loopvar" or "go1.20" into the semantic version form
// modules use ("v1.22.3", "v1.21.0-rc.2", "v1.20.0"), so that one
// ordering serves every package of the ecosystem. Versions Go itself
// does not recognise ("devel go1.23-abc...") are kept as written.
func toolchainVersion(v string) string {
	v, _, _ = strings.Cut(v, " ")
	if !version.IsValid(v) {
		return v
	}
	s, suffix, _ := strings.Cut(strings.TrimPrefix(v, "go"), "-")
	pre := ""
	if suffix != "" {
		pre = "-" + suffix
	}
	for _, tag := range []string{"rc", "beta"} {
		if i := strings.Index(s, tag); i > 0 {
			s, pre = s[:i], "-"+tag+"."+s[i+len(tag):]
			break
		}
	}
	switch strings.Count(s, ".") {
	case 0:
		s += ".0.0"
	case 1:
		s += ".0"
	}
	return "v" + s + pre
}
