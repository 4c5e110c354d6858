package java

import (
	"bytes"
	"strings"
)

// manifestInfo holds the main-section attributes of a MANIFEST.MF that
// name a package.
type manifestInfo struct {
	implTitle, implVersion    string
	bundleName, bundleVersion string // Bundle-SymbolicName, Bundle-Version
}

// maxValue bounds one attribute value; the attributes kept are short,
// the long ones (Export-Package, Import-Package) are not kept at all.
const maxValue = 4096

// parseManifest reads the main section of a JAR manifest: "Name: value"
// lines ending in CR LF, LF or CR, continued on lines that start with a
// space, up to the first blank line. Names are case-insensitive.
func parseManifest(b []byte) manifestInfo {
	var m manifestInfo
	var cur *string // the kept attribute the next continuation line extends
	for len(b) > 0 {
		var line []byte
		line, b = nextLine(b)
		if len(line) == 0 {
			break // end of the main section
		}
		if line[0] == ' ' {
			if cur != nil && len(*cur)+len(line)-1 <= maxValue {
				*cur += string(line[1:])
			}
			continue
		}
		cur = nil
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok || len(value) > maxValue {
			continue
		}
		value = bytes.TrimPrefix(value, []byte(" "))
		if cur = m.field(string(name)); cur != nil {
			*cur = string(value)
		}
	}
	m.implTitle, m.implVersion = strings.TrimSpace(m.implTitle), strings.TrimSpace(m.implVersion)
	m.bundleName, m.bundleVersion = strings.TrimSpace(m.bundleName), strings.TrimSpace(m.bundleVersion)
	// Bundle-SymbolicName may carry directives: "org.x.y;singleton:=true".
	m.bundleName, _, _ = strings.Cut(m.bundleName, ";")
	m.bundleName = strings.TrimSpace(m.bundleName)
	return m
}

func (m *manifestInfo) field(name string) *string {
	switch {
	case strings.EqualFold(name, "Implementation-Title"):
		return &m.implTitle
	case strings.EqualFold(name, "Implementation-Version"):
		return &m.implVersion
	case strings.EqualFold(name, "Bundle-SymbolicName"):
		return &m.bundleName
	case strings.EqualFold(name, "Bundle-Version"):
		return &m.bundleVersion
	}
	return nil
}

// nextLine splits off the first line of b, whatever its line ending.
func nextLine(b []byte) (line, rest []byte) {
	i := bytes.IndexAny(b, "\r\n")
	if i < 0 {
		return b, nil
	}
	line, rest = b[:i], b[i+1:]
	if b[i] == '\r' && len(rest) > 0 && rest[0] == '\n' {
		rest = rest[1:]
	}
	return line, rest
}

// identity names the package of an archive without pom.properties: the
// Implementation title and version, else the OSGi bundle's, else what
// the file name says (name-1.2.3.jar).
func (m manifestInfo) identity(file string) (name, version string) {
	fname, fversion := splitFileName(file)
	name = firstOf(m.implTitle, m.bundleName, fname)
	version = firstOf(m.implVersion, m.bundleVersion, fversion)
	return name, version
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// splitFileName splits "commons-lang3-3.12.0.jar" into "commons-lang3"
// and "3.12.0": the version starts at the first "-" followed by a digit.
func splitFileName(file string) (name, version string) {
	if i := strings.LastIndexByte(file, '.'); i > 0 {
		file = file[:i]
	}
	for i := 0; i+1 < len(file); i++ {
		if file[i] == '-' && file[i+1] >= '0' && file[i+1] <= '9' && i > 0 {
			return file[:i], file[i+1:]
		}
	}
	return file, ""
}
