package diff

import (
	"crypto/sha256"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/packages"
)

func dpkg(name, version, source string) packages.Package {
	return packages.Package{Ecosystem: packages.Dpkg, Name: name, Version: version,
		Location: "/var/lib/dpkg/status", Source: source, Arch: "amd64"}
}

func file(path string, size int64, sha string) inventory.File {
	return inventory.File{Path: path, Type: inventory.TypeFile, Mode: 0o644, Size: size, SHA256: contentDigest(sha)}
}

func dir(path string) inventory.File {
	return inventory.File{Path: path, Type: inventory.TypeDir, Mode: 0o755}
}

func symlink(path, target string) inventory.File {
	return inventory.File{Path: path, Type: inventory.TypeSymlink, Mode: 0o777, Link: target}
}

func with(f inventory.File, edit func(*inventory.File)) inventory.File {
	edit(&f)
	return f
}

// contentDigest stands for the digest of content named s: equal names,
// equal digests.
func contentDigest(s string) inventory.Digest { return sha256.Sum256([]byte(s)) }
