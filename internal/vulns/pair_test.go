package vulns

import (
	"strings"

	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/packages"
)

// fixturePair is a Debian 9 shop image before and after an upgrade whose
// package changes hit the stored OSV records: openssl's security update
// (source version 1.1.0l-1~deb9u5 → u6, DLA-3008-1, in two binaries),
// tzdata, libxml2 and dpkg updates (DLA-3051-1, DLA-3012-1, DLA-3022-1),
// log4j-core 2.12.2 → 2.13.0 (brings in GHSA-7rjr-3q55-vv33, leaves
// GHSA-3pxv-7cmr-fjr4), npm minimist and ws fixes and semver 6 → 7
// (brings in GHSA-c2qf-rxjj-qqgw), requests 2.30.0 → 2.31.0, setuptools
// removed, urllib3 added, nokogiri 1.16.4 → 1.16.5 (Dependabot's security
// update for GHSA-r95h-9x8f-r3f7), the Go toolchain of an executable
// 1.21.2 → 1.21.3 (GO-2023-2102), and a Go tool built from a checkout
// that no advisory can name ((devel)).
func fixturePair() (base, head *inventory.Inventory) {
	deb := func(name, version, source string) packages.Package {
		return packages.Package{Ecosystem: packages.Dpkg, Name: name, Version: version, Source: source,
			Location: "/var/lib/dpkg/status", Arch: "amd64"}
	}
	lang := func(eco, name, version, location string) packages.Package {
		return packages.Package{Ecosystem: eco, Name: name, Version: version, Location: location}
	}
	debian9 := inventory.OS{ID: "debian", VersionID: "9", PrettyName: "Debian GNU/Linux 9 (stretch)"}
	base = &inventory.Inventory{SchemaVersion: 1, Ref: "ghcr.io/acme/shop:main", Digest: "sha256:" + strings.Repeat("a", 64),
		Platform: "linux/amd64", OS: debian9,
		Packages: []packages.Package{
			deb("libc6", "2.24-11+deb9u4", "glibc"),
			deb("libssl1.1", "1.1.0l-1~deb9u5", "openssl"),
			deb("openssl", "1.1.0l-1~deb9u5", ""),
			deb("tzdata", "2021a-0+deb9u3", ""),
			deb("libxml2", "2.9.4+dfsg1-2.2+deb9u6", ""),
			deb("dpkg", "1.18.25", ""),
			lang(packages.Java, "org.apache.logging.log4j:log4j-core", "2.12.2", "/app/lib/log4j-core-2.12.2.jar"),
			lang(packages.Npm, "minimist", "1.2.5", "/app/node_modules/minimist/package.json"),
			lang(packages.Npm, "semver", "6.3.1", "/app/node_modules/semver/package.json"),
			lang(packages.Npm, "ws", "7.5.9", "/app/node_modules/ws/package.json"),
			lang(packages.Python, "requests", "2.30.0", "/usr/lib/python3/dist-packages/requests-2.30.0.dist-info/METADATA"),
			lang(packages.Python, "setuptools", "58.1.0", "/usr/lib/python3/dist-packages/setuptools-58.1.0.dist-info/METADATA"),
			lang(packages.Gem, "nokogiri", "1.16.4", "/usr/local/bundle/specifications/nokogiri-1.16.4.gemspec"),
			lang(packages.Go, "stdlib", "v1.21.2", "/usr/local/bin/shop"),
			lang(packages.Go, "example.com/tool", "(devel)", "/usr/local/bin/tool"),
		}}
	head = &inventory.Inventory{SchemaVersion: 1, Ref: "ghcr.io/acme/shop:pr-7", Digest: "sha256:" + strings.Repeat("b", 64),
		Platform: "linux/amd64", OS: debian9,
		Packages: []packages.Package{
			deb("libc6", "2.24-11+deb9u4", "glibc"),
			deb("libssl1.1", "1.1.0l-1~deb9u6", "openssl"),
			deb("openssl", "1.1.0l-1~deb9u6", ""),
			deb("tzdata", "2021a-0+deb9u4", ""),
			deb("libxml2", "2.9.4+dfsg1-2.2+deb9u7", ""),
			deb("dpkg", "1.18.26", ""),
			lang(packages.Java, "org.apache.logging.log4j:log4j-core", "2.13.0", "/app/lib/log4j-core-2.13.0.jar"),
			lang(packages.Npm, "minimist", "1.2.6", "/app/node_modules/minimist/package.json"),
			lang(packages.Npm, "semver", "7.0.0", "/app/node_modules/semver/package.json"),
			lang(packages.Npm, "ws", "7.5.10", "/app/node_modules/ws/package.json"),
			lang(packages.Python, "requests", "2.31.0", "/usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA"),
			lang(packages.Python, "urllib3", "1.26.18", "/usr/lib/python3/dist-packages/urllib3-1.26.18.dist-info/METADATA"),
			lang(packages.Gem, "nokogiri", "1.16.5", "/usr/local/bundle/specifications/nokogiri-1.16.5.gemspec"),
			lang(packages.Go, "stdlib", "v1.21.3", "/usr/local/bin/shop"),
			lang(packages.Go, "example.com/tool", "v1.0.0", "/usr/local/bin/tool"),
		}}
	return base, head
}
