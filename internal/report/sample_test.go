package report

import (
	"crypto/sha256"
	"fmt"

	"github.com/imagedrift/imagedrift/internal/diff"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/lint"
	"github.com/imagedrift/imagedrift/internal/origin"
	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/risk"
)

func dpkg(name, version, source string) packages.Package {
	return packages.Package{Ecosystem: packages.Dpkg, Name: name, Version: version,
		Location: "/var/lib/dpkg/status", Source: source, Arch: "amd64"}
}

func reg(path string, size int64, sha string) inventory.File {
	return inventory.File{Path: path, Type: inventory.TypeFile, Mode: 0o644, Size: size, SHA256: contentDigest(sha)}
}

func exe(path string, size int64, sha string) inventory.File {
	return inventory.File{Path: path, Type: inventory.TypeFile, Mode: 0o755, Size: size, SHA256: contentDigest(sha)}
}

func folder(path string) inventory.File {
	return inventory.File{Path: path, Type: inventory.TypeDir, Mode: 0o755}
}

// at sets the layer that installed p.
func at(p packages.Package, layer int) packages.Package {
	p.Layer = layer
	return p
}

// owned gives f the layer that wrote it and its owners.
func owned(f inventory.File, layer int32, owners ...int) inventory.File {
	f.Layer, f.Owners = layer, owners
	return f
}

// The Dockerfiles of the sample's sides: a pull request that moves the
// base from Debian 12 to 13.
const sampleDockerfile = `FROM debian:%s
ENV NODE_ENV=production
# the service's packages
RUN apt-get update && apt-get install -y --no-install-recommends nginx nodejs
COPY app /app
`

func sampleHistory(suite string) []inventory.History {
	return []inventory.History{
		{CreatedBy: "# debian.sh --arch 'amd64' out/ '" + suite + "' '@1718582400'"},
		{CreatedBy: `CMD ["bash"]`, EmptyLayer: true},
		{CreatedBy: "ENV NODE_ENV=production", EmptyLayer: true},
		{CreatedBy: "RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends nginx nodejs # buildkit"},
		{CreatedBy: "COPY app /app # buildkit"},
	}
}

// sampleInventories is an nginx service image moved from Debian 12 to 13
// with a Node.js dependency upgrade, as a PR might do.
func sampleInventories() (base, head *inventory.Inventory) {
	layersBase := []inventory.Layer{
		{Digest: "sha256:1f3e46996e2966e4faa5846e56e76e3748b7315e2ded61476c24403d592134f0", DiffID: "sha256:aa01", Size: 29_150_000, UncompSize: 78_600_000, CreatedBy: "# debian.sh --arch 'amd64' out/ 'bookworm' '@1718582400'"},
		{Digest: "sha256:5c9a2e3c4d1f", DiffID: "sha256:aa02", Size: 41_000_000, UncompSize: 112_000_000, CreatedBy: "RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends nginx nodejs # buildkit"},
		{Digest: "sha256:77aa", DiffID: "sha256:aa03", Size: 2_100_000, UncompSize: 6_000_000, CreatedBy: "COPY app /app # buildkit"},
	}
	layersHead := []inventory.Layer{
		{Digest: "sha256:9b1c2d3e4f5061728394a5b6c7d8e9f00112233445566778899aabbccddeeff", DiffID: "sha256:bb01", Size: 28_230_000, UncompSize: 85_100_000, CreatedBy: "# debian.sh --arch 'amd64' out/ 'trixie' '@1754956800'"},
		{Digest: "sha256:6d0b", DiffID: "sha256:bb02", Size: 44_800_000, UncompSize: 121_000_000, CreatedBy: "RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends nginx nodejs # buildkit"},
		{Digest: "sha256:88bb", DiffID: "sha256:bb03", Size: 2_400_000, UncompSize: 6_900_000, CreatedBy: "COPY app /app # buildkit"},
	}
	base = &inventory.Inventory{
		SchemaVersion: 1, Ref: "ghcr.io/acme/web:main", Platform: "linux/amd64",
		Digest:      "sha256:4bd5b5e8e4c1a7a3b0e0d2f0b3c7f1b2a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4",
		Annotations: map[string]string{diff.AnnotationBaseName: "docker.io/library/debian:bookworm-slim", diff.AnnotationBaseDigest: "sha256:2424c1850714a4d94666ec928e24d86de958646737b1d113f5b2207be44d37d8"},
		OS:          inventory.OS{ID: "debian", VersionID: "12", PrettyName: "Debian GNU/Linux 12 (bookworm)"},
		Ownership:   true,
		Config: inventory.Config{
			History: sampleHistory("bookworm"),
			User:    "nginx", Env: []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "NODE_ENV=production", "NGINX_VERSION=1.22.1"},
			Entrypoint: []string{"/docker-entrypoint.sh"}, Cmd: []string{"nginx", "-g", "daemon off;"},
			WorkingDir: "/app", ExposedPorts: []string{"80/tcp"},
			Labels: map[string]string{"org.opencontainers.image.source": "https://github.com/acme/web", "org.opencontainers.image.created": "2025-05-01T10:00:00Z"},
		},
		Layers: layersBase,
		Files: []inventory.File{
			owned(folder("/app"), 2),
			owned(reg("/app/node_modules/express/index.js", 224, "e1"), 2, 6),
			owned(reg("/app/server.js", 18_204, "s1"), 2),
			folder("/etc"),
			reg("/etc/debian_version", 5, "dv1"),
			owned(reg("/etc/ld.so.cache", 21_480, "ld1"), 1),
			owned(inventory.File{Path: "/etc/nginx/nginx.conf", Type: inventory.TypeFile, Mode: 0o644, Size: 1_446, SHA256: contentDigest("ng1"), Conffile: true}, 1, 2),
			folder("/usr/bin"),
			owned(exe("/usr/bin/node", 96_700_000, "n1"), 1, 5),
			{Path: "/usr/bin/passwd", Type: inventory.TypeFile, Mode: 0o4755, Size: 59_976, SHA256: contentDigest("p1")},
			folder("/usr/lib/x86_64-linux-gnu"),
			owned(reg("/usr/lib/x86_64-linux-gnu/libcrypto.so.3", 4_709_528, "c1"), 0, 1),
			owned(reg("/usr/lib/x86_64-linux-gnu/libssl.so.3", 696_368, "l1"), 0, 1),
			owned(reg("/usr/share/doc/libssl3/copyright", 7_080, "d1"), 0, 1),
			owned(reg("/var/cache/debconf/templates.dat", 470_000, "t1"), 1),
			owned(reg("/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease", 151_000, "a1"), 1),
		},
		Packages: []packages.Package{
			dpkg("libc6", "2.36-9+deb12u10", "glibc"),
			dpkg("libssl3", "3.0.16-1~deb12u1", "openssl"),
			at(dpkg("nginx", "1.22.1-9+deb12u2", ""), 1),
			dpkg("libgcc-s1", "12.2.0-14+deb12u1", "gcc-12"),
			dpkg("libdb5.3", "5.3.28+dfsg2-1", "db5.3"),
			at(dpkg("nodejs", "18.19.0+dfsg-6~deb12u2", ""), 1),
			at(packages.Package{Ecosystem: packages.Npm, Name: "express", Version: "4.21.2", Location: "/app/node_modules/express/package.json"}, 2),
			at(packages.Package{Ecosystem: packages.Npm, Name: "qs", Version: "6.13.0", Location: "/app/node_modules/qs/package.json"}, 2),
		},
	}
	for _, f := range base.Files {
		base.Size += f.Size
	}
	for _, l := range base.Layers {
		base.CompressedSize += l.Size
	}
	head = &inventory.Inventory{
		SchemaVersion: 1, Ref: "ghcr.io/acme/web:pr-42", Platform: "linux/amd64",
		Digest:      "sha256:9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d",
		Annotations: map[string]string{diff.AnnotationBaseName: "docker.io/library/debian:trixie-slim", diff.AnnotationBaseDigest: "sha256:c85a2732e97694ea77237c61304b3bb410e0e961dd6ee945997a06c788c545bb"},
		OS:          inventory.OS{ID: "debian", VersionID: "13", PrettyName: "Debian GNU/Linux 13 (trixie)"},
		Ownership:   true,
		Config: inventory.Config{
			History:    sampleHistory("trixie"),
			Env:        []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "NODE_ENV=production", "NGINX_VERSION=1.26.3", "API_TOKEN=abc123"},
			Entrypoint: []string{"/docker-entrypoint.sh"}, Cmd: []string{"nginx", "-g", "daemon off;"},
			WorkingDir: "/app", ExposedPorts: []string{"80/tcp", "9229/tcp"},
			Labels: map[string]string{"org.opencontainers.image.source": "https://github.com/acme/web", "org.opencontainers.image.created": "2025-08-12T10:00:00Z"},
		},
		Layers: layersHead,
		Files: []inventory.File{
			owned(folder("/app"), 2),
			owned(inventory.File{Path: "/app/bin/healthcheck", Type: inventory.TypeFile, Mode: 0o755, Size: 2_310_000, SHA256: contentDigest("h2"), Executable: inventory.ExecutableELF}, 2),
			owned(reg("/app/node_modules/express/index.js", 230, "e2"), 2, 6),
			owned(reg("/app/server.js", 18_950, "s2"), 2),
			owned(inventory.File{Path: "/app/tmp", Type: inventory.TypeDir, Mode: 0o777}, 2),
			folder("/etc"),
			reg("/etc/debian_version", 4, "dv2"),
			owned(reg("/etc/ld.so.cache", 22_101, "ld2"), 1),
			owned(inventory.File{Path: "/etc/nginx/nginx.conf", Type: inventory.TypeFile, Mode: 0o644, Size: 1_452, SHA256: contentDigest("ng2"), Conffile: true, Modified: true}, 1, 2),
			folder("/usr/bin"),
			owned(exe("/usr/bin/node", 106_300_000, "n2"), 1, 5),
			{Path: "/usr/bin/passwd", Type: inventory.TypeFile, Mode: 0o4755, Size: 63_960, SHA256: contentDigest("p2")},
			{Path: "/usr/bin/newgrp", Type: inventory.TypeFile, Mode: 0o4755, Size: 39_840, SHA256: contentDigest("g2")},
			folder("/usr/lib/x86_64-linux-gnu"),
			owned(reg("/usr/lib/x86_64-linux-gnu/libcrypto.so.3", 6_934_400, "c2"), 0, 1),
			owned(reg("/usr/lib/x86_64-linux-gnu/libssl.so.3", 1_030_000, "l2"), 0, 1),
			owned(reg("/usr/share/doc/libssl3t64/copyright", 7_080, "d1"), 0, 1),
			owned(reg("/var/cache/debconf/templates.dat", 512_000, "t2"), 1),
			owned(reg("/var/lib/apt/lists/deb.debian.org_debian_dists_trixie_InRelease", 163_000, "a2"), 1),
		},
		Packages: []packages.Package{
			dpkg("libc6", "2.41-12", "glibc"),
			dpkg("libssl3t64", "3.5.1-1", "openssl"),
			at(dpkg("nginx", "1.26.3-3", ""), 1),
			dpkg("libgcc-s1", "14.2.0-19", "gcc-14"),
			at(dpkg("libsqlite3-0", "3.46.1-7", "sqlite3"), 1),
			at(dpkg("nodejs", "20.19.2+dfsg-1", ""), 1),
			at(packages.Package{Ecosystem: packages.Npm, Name: "express", Version: "5.1.0", Location: "/app/node_modules/express/package.json"}, 2),
			at(packages.Package{Ecosystem: packages.Npm, Name: "qs", Version: "6.14.0", Location: "/app/node_modules/qs/package.json"}, 2),
		},
		Warnings: []packages.Warning{{Ecosystem: "npm", Path: "/app/node_modules/broken/package.json", Message: "unexpected end of JSON input"}},
	}
	for _, f := range head.Files {
		head.Size += f.Size
	}
	for _, l := range head.Layers {
		head.CompressedSize += l.Size
	}
	return base, head
}

func sampleFindings() []lint.Finding {
	return []lint.Finding{
		{Rule: "unpinned-base-digest", Level: lint.LevelMedium, File: "Dockerfile", Line: 1, Message: "FROM debian:trixie-slim has no digest: pin it (debian:trixie-slim@sha256:…) so rebuilds get the same base"},
		{Rule: "apt-unpinned", Level: lint.LevelLow, File: "Dockerfile", Line: 4, Message: "apt-get install without versions installs whatever the mirror has that day"},
	}
}

// sampleReport runs the stages the CLI runs.
func sampleReport(failOn ...string) *Report {
	base, head := sampleInventories()
	opts := diff.DefaultOptions()
	opts.Dockerfiles = [2]*origin.Dockerfile{
		{Name: "Dockerfile", Source: []byte(fmt.Sprintf(sampleDockerfile, "bookworm-slim"))},
		{Name: "Dockerfile", Source: []byte(fmt.Sprintf(sampleDockerfile, "trixie-slim"))},
	}
	ch := diff.Compare(base, head, opts)
	pol := risk.DefaultPolicy()
	pol.FailOn = failOn
	risks, v := risk.Evaluate(ch, sampleFindings(), pol)
	return Build(Input{Base: base, Head: head, Changes: ch, Findings: sampleFindings(), Risks: risks, Verdict: v, Version: "1.0.0-test"})
}

func identicalReport() *Report {
	base, _ := sampleInventories()
	ch := diff.Compare(base, base, diff.DefaultOptions())
	risks, v := risk.Evaluate(ch, nil, risk.Policy{FailOn: []string{"low"}})
	return Build(Input{Base: base, Head: base, Changes: ch, Risks: risks, Verdict: v, Version: "1.0.0-test"})
}

// contentDigest stands for the digest of content named s: equal names,
// equal digests.
func contentDigest(s string) inventory.Digest { return sha256.Sum256([]byte(s)) }
