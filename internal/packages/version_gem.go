package packages

import (
	"cmp"
	"regexp"
	"strings"
)

// RubyGems' ordering is implemented here rather than taken from a library:
// the one Go port (aquasecurity/go-gem-version, untouched since 2020)
// splits string segments into single letters ("1.0.beta" becomes
// 1.0.b.e.t.a), which orders "1.0.b" and "1.0.beta" differently from Ruby.
// What follows is Gem::Version#<=> of rubygems/lib/rubygems/version.rb.

var (
	gemVersionRe = regexp.MustCompile(`^\s*([0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?\s*$`)
	gemSegmentRe = regexp.MustCompile(`[0-9]+|[a-zA-Z]+`)
)

// gemSegment is a number (digits without leading zeros) or a string.
type gemSegment struct {
	s       string
	numeric bool
}

func (g gemSegment) isZero() bool { return g.numeric && g.s == "0" }

// parseGem returns Gem::Version#canonical_segments: numeric segments up to
// the first string one, then the rest, each part without trailing zeros.
func parseGem(v string) ([]gemSegment, error) {
	if !gemVersionRe.MatchString(v) {
		return nil, errInvalid(v, "not a RubyGems version")
	}
	s := strings.ReplaceAll(strings.TrimSpace(v), "-", ".pre.")
	if s == "" {
		s = "0"
	}
	var segs []gemSegment
	for _, m := range gemSegmentRe.FindAllString(s, -1) {
		if m[0] >= '0' && m[0] <= '9' {
			m = strings.TrimLeft(m, "0")
			if m == "" {
				m = "0"
			}
			segs = append(segs, gemSegment{s: m, numeric: true})
		} else {
			segs = append(segs, gemSegment{s: m})
		}
	}
	split := len(segs)
	for i, g := range segs {
		if !g.numeric {
			split = i
			break
		}
	}
	num := dropTrailingZeros(segs[:split])
	str := dropTrailingZeros(segs[split:])
	return append(num[:len(num):len(num)], str...), nil
}

func dropTrailingZeros(segs []gemSegment) []gemSegment {
	for len(segs) > 0 && segs[len(segs)-1].isZero() {
		segs = segs[:len(segs)-1]
	}
	return segs
}

func compareGem(a, b string) (int, error) {
	sa, err := parseGem(a)
	if err != nil {
		return 0, err
	}
	sb, err := parseGem(b)
	if err != nil {
		return 0, err
	}
	zero := gemSegment{s: "0", numeric: true}
	for i := 0; i < len(sa) || i < len(sb); i++ {
		l, r := zero, zero
		if i < len(sa) {
			l = sa[i]
		}
		if i < len(sb) {
			r = sb[i]
		}
		switch {
		case l == r:
			continue
		case !l.numeric && r.numeric:
			return -1, nil
		case l.numeric && !r.numeric:
			return 1, nil
		case l.numeric:
			return compareDigits(l.s, r.s), nil
		default:
			return strings.Compare(l.s, r.s), nil
		}
	}
	return 0, nil
}

// compareDigits orders two digit strings without leading zeros by value,
// whatever their length.
func compareDigits(a, b string) int {
	if c := cmp.Compare(len(a), len(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}
