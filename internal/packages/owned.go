package packages

import (
	"encoding/base64"
	"encoding/hex"
	"iter"
	"strings"
)

// An Owner is a Cataloger whose package records also say which files each
// package installed: dpkg's info/*.list, apk's and rpm's file lists,
// Python's RECORD, the folder of an npm package, a Java archive itself.
// The inventory joins these claims to its file index once, at the end of
// the pass, so a path is never stored twice.
type Owner interface {
	Cataloger
	// CatalogOwned is Catalog with the claims of the packages it returns.
	CatalogOwned(files []File) ([]Package, []Owned, []Warning)
}

// Owned is what the records of one package claim.
type Owned struct {
	// Package is the index of the package in the list CatalogOwned
	// returned.
	Package int
	// Record is the file the package manager rewrites whenever it installs
	// this package, and only then (dpkg's info/NAME.list, a dist-info
	// RECORD, an npm package.json); "" when the record is shared by every
	// package (apk's and rpm's databases). A file that a later layer
	// wrote over with other content was changed after the install.
	Record string
	// Files yields the paths the records list. It runs once, when the
	// claims are joined to the files, so that a large record (a dpkg .list
	// of thousands of paths) is read then, one path at a time, rather than
	// held as a list. nil for none.
	Files iter.Seq[OwnedFile]
	// Dirs are folders the package owns whole: every path under them,
	// except under a deeper folder another package owns (an npm
	// package's own node_modules).
	Dirs []string
}

// OwnedFile is one path a package record lists.
type OwnedFile struct {
	// Path is absolute; records that write paths from the root without
	// the leading slash (dpkg's md5sums) may leave it out.
	Path string
	// Digest is the record's digest of the content as installed; zero
	// when the record has none (directories, links).
	Digest Digest
	// Config marks a configuration file the package declares as such
	// (dpkg conffiles, rpm %config): editing it is expected.
	Config bool
}

// The inventory computes the SHA-256 of every file, but MD5 and SHA-1
// (dpkg's and apk's record digests) only for files under
// WeakDigestDir of at most MaxWeakDigest bytes: configuration, which is
// what gets edited after an install, and small; hashing every file twice
// more would double the cost of the pass. Records need not keep weaker
// digests of other files: nothing compares them.
const (
	WeakDigestDir = "/etc/"
	MaxWeakDigest = 1 << 20
)

// WeakDigestPath reports whether p (with or without its leading slash) is
// where the inventory computes MD5 and SHA-1.
func WeakDigestPath(p string) bool {
	return strings.HasPrefix(p, WeakDigestDir) || strings.HasPrefix(p, WeakDigestDir[1:])
}

// DigestAlgo is the algorithm of a record's digest.
type DigestAlgo uint8

// Digest algorithms package records use.
const (
	NoDigest DigestAlgo = iota
	MD5
	SHA1
	SHA256
)

// Size is the digest's length in bytes.
func (a DigestAlgo) Size() int {
	switch a {
	case MD5:
		return 16
	case SHA1:
		return 20
	case SHA256:
		return 32
	}
	return 0
}

// Digest is a record's digest of a file's content.
type Digest struct {
	Algo DigestAlgo
	Sum  [32]byte // the first Algo.Size() bytes
}

// Bytes is the digest's value.
func (d *Digest) Bytes() []byte { return d.Sum[:d.Algo.Size()] }

// HexDigest reads a digest written in hex; the zero Digest when s is not
// the hex of one of algo's size.
func HexDigest(algo DigestAlgo, s string) Digest {
	d := Digest{Algo: algo}
	if len(s) != 2*algo.Size() {
		return Digest{}
	}
	if _, err := hex.Decode(d.Sum[:], []byte(s)); err != nil {
		return Digest{}
	}
	return d
}

// Base64Digest reads a digest written in base64, standard or URL-safe,
// padded or not (Python's RECORD, apk's Q1 checksums); the zero Digest
// when s is not the base64 of one of algo's size.
func Base64Digest(algo DigestAlgo, s string) Digest {
	d := Digest{Algo: algo}
	for _, enc := range []*base64.Encoding{base64.RawURLEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.StdEncoding} {
		if enc.DecodedLen(len(s)) < algo.Size() || enc.DecodedLen(len(s)) > len(d.Sum)+2 {
			continue
		}
		var buf [34]byte
		if n, err := enc.Decode(buf[:], []byte(s)); err == nil && n == algo.Size() {
			copy(d.Sum[:], buf[:n])
			return d
		}
	}
	return Digest{}
}

// Self is the claim of a package that is one file (a Java archive, an
// executable): that file.
func Self(path string) iter.Seq[OwnedFile] {
	return func(yield func(OwnedFile) bool) { yield(OwnedFile{Path: path}) }
}
