package botpr

import (
	"regexp"
	"strings"
)

// maxAdvisories bounds the advisory ids kept of one pull request: a
// security update names one or a few; release notes may quote many.
const maxAdvisories = 20

var (
	// GitHub advisory ids use an alphabet without look-alike characters.
	ghsaRe = regexp.MustCompile(`(?i)^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$`)
	cveRe  = regexp.MustCompile(`(?i)^CVE-[0-9]{4}-[0-9]{4,7}$`)
)

// IsAdvisoryID reports whether s is a GHSA or CVE id, in any case.
func IsAdvisoryID(s string) bool {
	return len(s) <= 24 && (ghsaRe.MatchString(s) || cveRe.MatchString(s))
}

// canonicalAdvisory writes an id as its database does: GHSA-xxxx-xxxx-xxxx,
// CVE-YYYY-NNNN.
func canonicalAdvisory(s string) string {
	if strings.HasPrefix(strings.ToUpper(s), "GHSA") {
		return "GHSA" + strings.ToLower(s[4:])
	}
	return strings.ToUpper(s)
}

// advisories lists the GHSA and CVE ids the texts name, in order, each
// once, at most maxAdvisories. A Dependabot security update names the
// advisory it fixes in its body, with the release notes of the updated
// package that cite it: an id counts only as a whole word (a token of
// letters, digits and hyphens, so that part of a longer name or a URL's
// query never passes for one), in the strict forms GitHub and MITRE
// assign. The texts are already bounded by the caller.
func advisories(texts ...string) []string {
	var out []string
	seen := map[string]bool{}
	for _, text := range texts {
		for _, tok := range strings.FieldsFunc(text, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-')
		}) {
			if !IsAdvisoryID(tok) {
				continue
			}
			id := canonicalAdvisory(tok)
			if seen[id] {
				continue
			}
			if len(out) == maxAdvisories {
				return out
			}
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// KeepAdvisories drops what is not an advisory id from a list read back
// from a file the pull request's code could have written, and bounds it.
func KeepAdvisories(ids []string) []string {
	var out []string
	for _, id := range ids {
		if IsAdvisoryID(id) && len(out) < maxAdvisories {
			out = append(out, canonicalAdvisory(id))
		}
	}
	return out
}
