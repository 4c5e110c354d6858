package botpr

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/imagedrift/imagedrift/internal/oneline"
)

// Title shapes. Dependabot writes "Bump X from A to B[ in /dir]", "Update
// X requirement from A to B", "Bump the G group[ in /dir] with N
// updates", "Bump the G group across N directories with M updates", "Bump
// X from A to B in the G group"; Renovate writes "Update dependency X to
// vB", "Update X Docker tag to B", "Update module X to B", "Update all
// non-major dependencies". Either may carry a commit prefix
// ("chore(deps): ", "[Security] ", "⬆️ ") and Renovate a suffix
// (" (major)", " [SECURITY]"); a squash merge's subject ends in " (#N)".
var (
	conventionalRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,30}(\([^)]{0,100}\))?!?:\s*`)
	bracketRe      = regexp.MustCompile(`^\[[^\]]{0,40}\]\s*`)
	shortcodeRe    = regexp.MustCompile(`^:[a-z0-9_+-]{1,40}:\s*`)
	suffixRe       = regexp.MustCompile(`(?i)\s+(\((major|minor|patch|#\d{1,10})\)|\[security\]|-\s+(autoclosed|abandoned))$`)

	groupRe       = regexp.MustCompile(`(?i)^the (\S+) group(?: in (\S+))? with (\d+) updates?$`)
	groupAcrossRe = regexp.MustCompile(`(?i)^the (\S+) group across \d+ director(?:y|ies) with (\d+) updates?$`)
	inGroupRe     = regexp.MustCompile(`(?i)^(.+) in the (\S+) group(?: across \d+ director(?:y|ies))?$`)
	directoryRe   = regexp.MustCompile(`(?i)^(.+) in (/\S*)$`)
	requirementRe = regexp.MustCompile(`(?i)^(\S+) requirement (?:from (.+) )?to (.+)$`)
	listSepRe     = regexp.MustCompile(`,\s+|\s+and\s+`)
)

// Renovate's words around a dependency name: what kind of dependency it
// is, before the name, and what is updated, after it.
var (
	renovateKinds = []string{"dependency ", "module ", "rust crate ", "crate ", "gem ", "package ", "plugin ", "helm release ", "image "}
	renovateParts = []string{" docker tag", " docker digest", " digest", " action", " orb", " commit hash"}
	renovateGroup = []string{" monorepo", " packages"}
)

// ParseTitle reads the updates a pull request title declares. A title in
// no known shape declares nothing.
func ParseTitle(title string) Declared {
	// Not clean: a title may end in a quoted digest.
	t := strings.Join(strings.Fields(oneline.Clean(oneline.Cap(title, maxTitle))), " ")
	t = stripPrefixes(t)
	for {
		s := suffixRe.ReplaceAllString(t, "")
		if s == t {
			break
		}
		t = s
	}
	lower := strings.ToLower(t)
	switch {
	case strings.HasPrefix(lower, "bump "):
		return parseBump(t[len("bump "):])
	case strings.HasPrefix(lower, "update "):
		return parseUpdate(t[len("update "):])
	case lower == "lock file maintenance" || strings.HasPrefix(lower, "pin dependencies"):
		return Declared{Unnamed: true}
	}
	return Declared{}
}

// stripPrefixes removes what commit conventions put before the verb.
func stripPrefixes(t string) string {
	for i := 0; i < 4; i++ {
		before := t
		for _, re := range []*regexp.Regexp{bracketRe, conventionalRe, shortcodeRe} {
			if loc := re.FindStringIndex(t); loc != nil {
				t = t[loc[1]:]
			}
		}
		// An emoji or other symbol ("⬆️ ").
		t = strings.TrimLeftFunc(t, func(r rune) bool { return r > 0x7f && !isLetter(r) || r == ' ' })
		if t == before {
			break
		}
	}
	return t
}

func isLetter(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 0x7f && r < 0x2000
}

// parseBump reads what follows Dependabot's "bump ".
func parseBump(rest string) Declared {
	var d Declared
	if m := groupRe.FindStringSubmatch(rest); m != nil {
		d.Group, d.Directory, d.Count = clean(m[1]), clean(m[2]), count(m[3])
		return d
	}
	if m := groupAcrossRe.FindStringSubmatch(rest); m != nil {
		d.Group, d.Count = clean(m[1]), count(m[2])
		return d
	}
	if m := inGroupRe.FindStringSubmatch(rest); m != nil {
		rest, d.Group = m[1], clean(m[2])
	}
	if m := directoryRe.FindStringSubmatch(rest); m != nil {
		rest, d.Directory = m[1], clean(m[2])
	}
	if name, versions, ok := strings.Cut(rest, " from "); ok {
		name = strings.TrimSuffix(name, " dependency set")
		if from, to, ok := cutLast(versions, " to "); ok && isName(name) {
			u := newUpdate(name, from, to, hexQuoted)
			u.Group = d.Group
			d.Updates = []Update{u}
		}
		return d
	}
	if name, to, ok := strings.Cut(rest, " to "); ok && isName(name) {
		u := newUpdate(name, "", to, hexQuoted)
		u.Group = d.Group
		d.Updates = []Update{u}
		return d
	}
	// "bump a, b and c": names without versions.
	for _, name := range listSepRe.Split(rest, maxUpdates) {
		if !isName(name) {
			return Declared{}
		}
		d.Updates = add(d.Updates, Update{Name: clean(name), Group: d.Group})
	}
	return d
}

// parseUpdate reads what follows "update ": Dependabot's requirement
// updates, then Renovate's forms.
func parseUpdate(rest string) Declared {
	var d Declared
	if m := directoryRe.FindStringSubmatch(rest); m != nil {
		rest, d.Directory = m[1], clean(m[2])
	}
	if m := requirementRe.FindStringSubmatch(rest); m != nil {
		d.Updates = []Update{{Name: clean(m[1]), From: clean(m[2]), To: clean(m[3])}}
		return d
	}
	if names, ok := cutPrefixFold(rest, "requirements for "); ok {
		for _, name := range listSepRe.Split(names, maxUpdates) {
			if isName(name) {
				d.Updates = add(d.Updates, Update{Name: clean(name)})
			}
		}
		return d
	}
	if _, ok := cutPrefixFold(rest, "all "); ok {
		return Declared{Unnamed: true}
	}
	name, to, ok := cutLast(rest, " to ")
	if !ok {
		name = rest
	}
	qualified := false
	for _, k := range renovateKinds {
		if n, ok := cutPrefixFold(name, k); ok {
			name, qualified = n, true
			break
		}
	}
	rule := hexQuoted
	for _, p := range renovateParts {
		if n, ok := cutSuffixFold(name, p); ok {
			name, qualified = n, true
			if strings.HasSuffix(p, "digest") || p == " commit hash" {
				// "Update golang Docker digest to 3f2e1a4": a digest,
				// not quoted.
				rule = hexAlways
			}
			break
		}
	}
	for _, g := range renovateGroup {
		if n, ok := cutSuffixFold(name, g); ok && isName(n) {
			return Declared{Group: clean(n), Unnamed: true}
		}
	}
	if !isName(name) {
		return Declared{Unnamed: true}
	}
	d.Updates = []Update{newUpdate(name, "", to, rule)}
	// "Update X to v2" may name a group of the bot's configuration rather
	// than a dependency: only a qualified name is surely one.
	d.Ambiguous = !qualified
	return d
}

// isName accepts one dependency name: not empty once cleaned, bounded,
// without white space or control characters.
func isName(s string) bool {
	if len(s) > maxField*4 {
		return false
	}
	c := clean(s)
	return c != "" && len(c) <= maxField && !strings.ContainsAny(c, " \t")
}

func count(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > maxUpdates*100 {
		return 0
	}
	return n
}

// cutLast cuts s around the last sep.
func cutLast(s, sep string) (before, after string, ok bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

func cutSuffixFold(s, suffix string) (string, bool) {
	if len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix) {
		return s[:len(s)-len(suffix)], true
	}
	return s, false
}
