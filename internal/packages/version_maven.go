package packages

import (
	"regexp"
	"strings"

	mvn "github.com/masahiro331/go-mvn-version"
)

// compareMaven follows Maven's ComparableVersion. Maven accepts any
// string; empty, non-ASCII or blank-containing strings are refused here
// because they are not versions of real artifacts (and the library indexes
// the lower-cased string by rune position, which is only safe for ASCII).
func compareMaven(a, b string) (int, error) {
	for _, v := range []string{a, b} {
		if v == "" {
			return 0, errInvalid(v, "empty")
		}
		for i := 0; i < len(v); i++ {
			if v[i] <= ' ' || v[i] >= 0x7f {
				return 0, errInvalid(v, "not printable ASCII")
			}
		}
	}
	va, _ := mvn.NewVersion(mavenTrailingQualifier(a))
	vb, _ := mvn.NewVersion(mavenTrailingQualifier(b))
	return va.Compare(vb), nil
}

// trailingQualifierRe finds a final ".X" where X is a qualifier (no digit).
var trailingQualifierRe = regexp.MustCompile(`\.([^0-9.-]+)$`)

// mavenTrailingQualifier rewrites a final ".X" qualifier as "-X", which is
// how ComparableVersion reads it ("treat .X as -X for any string qualifier
// X": 2.0.a == 2-a < 2-1) and what the library leaves out.
// A release alias (ga, final, release) is left alone: it reads as nothing
// either way, and the library keeps an empty sub-list where Maven drops it.
func mavenTrailingQualifier(v string) string {
	m := trailingQualifierRe.FindStringSubmatchIndex(v)
	if m == nil {
		return v
	}
	switch strings.ToLower(v[m[2]:m[3]]) {
	case "ga", "final", "release":
		return v
	}
	return v[:m[0]] + "-" + v[m[2]:]
}
