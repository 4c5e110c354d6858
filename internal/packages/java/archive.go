package java

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// Limits on what one archive may cost. Tests lower them.
var (
	// maxEntries bounds the zip directory archive/zip may load; it
	// allocates a few hundred bytes per entry.
	maxEntries = 250_000
	// maxMeta bounds a manifest or pom.properties file once inflated.
	maxMeta int64 = 1 << 20
	// maxInflated bounds the bytes inflated from one outer archive
	// (nested archives and metadata together): a zip bomb stops there.
	maxInflated int64 = 256 << 20
	// maxNested bounds the archives looked into inside one archive.
	maxNested = 4096
)

// minDirRecord is the size of a zip central directory record without
// its name, extra field and comment.
const minDirRecord = 46

// Archive is what the extractor keeps of a Java archive.
type Archive struct {
	Packages []Found
	// Warnings name problems with nested archives or metadata files
	// that did not stop the rest.
	Warnings []string
}

// Found is one package: the archive's own or one of a nested archive.
type Found struct {
	Name, Version string
	// Inner is the nested archive's path inside the outer one, empty
	// for the outer archive.
	Inner string
}

// reader reads one outer archive and those it bundles.
type reader struct {
	a        Archive
	inflated int64 // bytes inflated so far
	nested   int
}

// readArchive reads the archive data called name. An archive that is not
// a readable zip is an error; problems inside it are Warnings.
func readArchive(data []byte, name string) (*Archive, error) {
	r := &reader{}
	zr, err := openZip(data)
	if err != nil {
		return nil, err
	}
	nested := r.identify(zr, name, "")
	for _, f := range nested {
		r.readNested(data, f)
	}
	return &r.a, nil
}

func openZip(data []byte) (*zip.Reader, error) {
	if len(data) > maxEntries*minDirRecord {
		if n := bytes.Count(data, []byte("PK\x01\x02")); n > maxEntries {
			return nil, fmt.Errorf("zip directory may hold %d entries, more than %d; not read", n, maxEntries)
		}
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("read zip: %w", err)
	}
	useFastInflate(zr)
	return zr, nil
}

// identify records the packages of one archive (pom.properties files,
// else the manifest, else the file name) and returns the archives it
// bundles when it is the outer one (inner == "").
func (r *reader) identify(zr *zip.Reader, name, inner string) []*zip.File {
	var poms []*zip.File
	var manifest *zip.File
	var nested []*zip.File
	for _, f := range zr.File {
		switch {
		case isPomProperties(f.Name):
			poms = append(poms, f)
		case strings.EqualFold(f.Name, "META-INF/MANIFEST.MF"):
			manifest = f
		case inner == "" && isArchiveName(f.Name) && !f.FileInfo().IsDir():
			nested = append(nested, f)
		}
	}
	found := false
	for _, f := range poms {
		b, err := r.readMeta(f)
		if err != nil {
			r.warn(inner, err)
			continue
		}
		if p, ok := parsePomProperties(b, f.Name); ok {
			r.a.Packages = append(r.a.Packages, Found{Name: p.name(), Version: p.version, Inner: inner})
			found = true
		}
	}
	if found {
		return nested
	}
	var m manifestInfo
	if manifest != nil {
		b, err := r.readMeta(manifest)
		if err != nil {
			r.warn(inner, err)
		} else {
			m = parseManifest(b)
		}
	}
	n, v := m.identity(name)
	r.a.Packages = append(r.a.Packages, Found{Name: n, Version: v, Inner: inner})
	return nested
}

func (r *reader) warn(inner string, err error) {
	if inner != "" {
		err = fmt.Errorf("%s: %w", inner, err)
	}
	r.a.Warnings = append(r.a.Warnings, err.Error())
}

// isPomProperties matches META-INF/maven/GROUP/ARTIFACT/pom.properties.
func isPomProperties(name string) bool {
	return strings.HasPrefix(name, "META-INF/maven/") && strings.HasSuffix(name, "/pom.properties")
}

// readMeta inflates a small metadata file, within maxMeta and the
// archive's inflation budget.
func (r *reader) readMeta(f *zip.File) ([]byte, error) {
	return r.inflate(f, maxMeta)
}

// inflate reads an entry whole, refusing one larger than limit or than
// what is left of the archive's inflation budget, whatever its header
// claims.
func (r *reader) inflate(f *zip.File, limit int64) ([]byte, error) {
	if left := maxInflated - r.inflated; left < limit {
		if f.UncompressedSize64 > uint64(left) {
			return nil, fmt.Errorf("%s not read: the archive already inflated %d bytes, the most read from one archive is %d", f.Name, r.inflated, maxInflated)
		}
		limit = left
	}
	if f.UncompressedSize64 > uint64(limit) {
		return nil, fmt.Errorf("%s is %d bytes inflated, over the %d-byte limit; not read", f.Name, f.UncompressedSize64, limit)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", f.Name, err)
	}
	defer rc.Close()
	b, err := readAllLimit(rc, make([]byte, 0, f.UncompressedSize64), limit)
	r.inflated += int64(len(b))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", f.Name, err)
	}
	return b, nil
}

var errLimit = errors.New("inflates past its declared size")

// readAllLimit appends r to b until EOF, failing past limit bytes.
func readAllLimit(r io.Reader, b []byte, limit int64) ([]byte, error) {
	lr := io.LimitReader(r, limit+1)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := lr.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return b, err
		}
	}
	if int64(len(b)) > limit {
		return b[:limit], errLimit
	}
	return b, nil
}

// readNested reads an archive bundled in the outer one. A stored entry
// is read in place; a compressed one is inflated within the budget.
func (r *reader) readNested(outer []byte, f *zip.File) {
	if r.nested++; r.nested > maxNested {
		if r.nested == maxNested+1 {
			r.warn("", fmt.Errorf("more than %d nested archives; the rest are not read", maxNested))
		}
		return
	}
	data, err := r.entryData(outer, f)
	if err != nil {
		r.warn(f.Name, err)
		return
	}
	zr, err := openZip(data)
	if err != nil {
		r.warn(f.Name, err)
		return
	}
	r.identify(zr, path.Base(f.Name), f.Name)
}

func (r *reader) entryData(outer []byte, f *zip.File) ([]byte, error) {
	if f.Method == zip.Store && f.CompressedSize64 == f.UncompressedSize64 {
		off, err := f.DataOffset()
		if err == nil && off >= 0 && uint64(off)+f.CompressedSize64 <= uint64(len(outer)) {
			return outer[off : uint64(off)+f.CompressedSize64], nil
		}
	}
	return r.inflate(f, maxArchive)
}
