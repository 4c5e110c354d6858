package python

import (
	"errors"
	"fmt"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// maxField bounds a name or version taken from an image.
const maxField = 256

// Normalize returns the PEP 503 normalized form of a distribution name,
// the form pip and PyPI compare names in (PyYAML and pyyaml are one). The
// rule itself lives with the other ecosystem rules in package packages.
func Normalize(name string) string {
	return packages.Rules(packages.Python).Normalize(name)
}

func (m *metadata) validate() error {
	switch {
	case !m.NameOk && m.Name == "":
		return errors.New("no Name header")
	case !m.NameOk:
		return errors.New("the Name header spans several lines")
	case !validName(m.Name):
		return fmt.Errorf("invalid distribution name %q", clip(m.Name))
	case !m.VersionOk && m.Version == "":
		return errors.New("no Version header")
	case !m.VersionOk:
		return errors.New("the Version header spans several lines")
	case !validVersion(m.Version):
		return fmt.Errorf("invalid version %q", clip(m.Version))
	}
	return nil
}

// validName follows the name rule of the core metadata specification:
// ASCII letters and digits, with ".", "_" and "-" inside.
func validName(s string) bool {
	if s == "" || len(s) > maxField || !alnum(s[0]) || !alnum(s[len(s)-1]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !alnum(c) && c != '.' && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

// validVersion accepts any non-empty printable ASCII string without
// spaces: PEP 440 is checked where versions are compared, and legacy
// versions ("2004d", "1.0-beta") still name what is installed.
func validVersion(s string) bool {
	if s == "" || len(s) > maxField {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

func alnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// clip keeps warnings short when a value is garbage.
func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
