package packages

import (
	"cmp"
	"strings"
)

// NaturalCompare orders free-form versions: both strings are cut into runs
// of ASCII digits and runs of ASCII letters (anything else separates
// runs); digit runs compare by value, letter runs byte-wise, and a digit
// run sorts after a letter run at the same position. When the runs of one
// version are a prefix of the other's, the longer one is greater: free-form
// versions carry no pre-release convention, so 1.0rc1 > 1.0. Runs being
// equal, the strings themselves decide, so the order is total and only
// equal strings compare 0.
func NaturalCompare(a, b string) int {
	ra, rb := naturalRuns(a), naturalRuns(b)
	for i := 0; i < len(ra) && i < len(rb); i++ {
		x, y := ra[i], rb[i]
		dx, dy := isDigit(x[0]), isDigit(y[0])
		switch {
		case dx && dy:
			if c := compareDigits(trimZeros(x), trimZeros(y)); c != 0 {
				return c
			}
		case dx:
			return 1
		case dy:
			return -1
		default:
			if c := strings.Compare(x, y); c != 0 {
				return c
			}
		}
	}
	if c := cmp.Compare(len(ra), len(rb)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// naturalRuns splits s into maximal runs of ASCII digits or ASCII letters.
func naturalRuns(s string) []string {
	var runs []string
	start := -1
	for i := 0; i <= len(s); i++ {
		if start >= 0 && (i == len(s) || !sameClass(s[start], s[i])) {
			runs = append(runs, s[start:i])
			start = -1
		}
		if i < len(s) && start < 0 && (isDigit(s[i]) || isLetter(s[i])) {
			start = i
		}
	}
	return runs
}

func sameClass(a, b byte) bool {
	return (isDigit(a) && isDigit(b)) || (isLetter(a) && isLetter(b))
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func trimZeros(d string) string {
	if t := strings.TrimLeft(d, "0"); t != "" {
		return t
	}
	return "0"
}
