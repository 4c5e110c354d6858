package drift

import (
	"bytes"
	"regexp"
)

// Dates and times as programs write them: ISO 8601 and RFC 3339, date(1)
// and RFC 1123 forms, clock times, and Unix times in seconds to
// nanoseconds (from 2001 to 2033, which the leading 1 keeps to).
var timeRes = []*regexp.Regexp{
	regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)?(?:Z|[+-]\d{2}:?\d{2})?`),
	regexp.MustCompile(`\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? +(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* +\d{1,2}\b`),
	regexp.MustCompile(`\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? +\d{1,2} +(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b`),
	regexp.MustCompile(`\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,9})?\b`),
	regexp.MustCompile(`\b1\d{9}(?:\d{3}|\d{6}|\d{9})?(?:\.\d{1,9})?\b`),
}

var timeMask = []byte("\x00")

// maskTimes replaces every date and time in b by one NUL byte.
func maskTimes(b []byte) []byte {
	for _, re := range timeRes {
		b = re.ReplaceAllLiteral(b, timeMask)
	}
	return b
}

// onlyTimesDiffer reports whether a and b differ, and only in the dates
// and times written in them: a build that writes its date into a file.
func onlyTimesDiffer(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return false
	}
	ma, mb := maskTimes(a), maskTimes(b)
	return bytes.Equal(ma, mb) && bytes.Contains(ma, timeMask)
}

// privateKeyRe finds the PEM armour of a private key (PKCS#1, PKCS#8,
// SEC 1, OpenSSH, PuTTY's header).
var privateKeyRe = regexp.MustCompile(`-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----|PuTTY-User-Key-File-`)

// looksLikePrivateKey reports whether b holds a private key.
func looksLikePrivateKey(b []byte) bool { return privateKeyRe.Match(b) }
