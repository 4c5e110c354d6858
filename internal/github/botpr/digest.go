package botpr

import "strings"

// hexRule says when a hex string a bot wrote is a digest rather than a
// version.
type hexRule int

const (
	// hexQuoted: in backticks. Dependabot quotes a digest or a commit
	// ("from `e84f2e8` to `4c0a181`") and never a version.
	hexQuoted hexRule = iota
	// hexAlways: the words around it say digest ("Docker digest to
	// 3f2e1a4", a Renovate row of update type digest).
	hexAlways
	// hexLikely: where versions are quoted too (the cells of a table),
	// only hex that no version looks like: a letter among the digits, or
	// a full commit or digest.
	hexLikely
)

// newUpdate is the update of name from one version or digest to another,
// as the bot wrote them.
func newUpdate(name, from, to string, rule hexRule) Update {
	u := Update{Name: clean(name)}
	u.From, u.FromDigest = splitVersion(from, rule)
	u.To, u.ToDigest = splitVersion(to, rule)
	return u
}

// splitVersion parts one side of an update into a version and a digest:
// "1.24.3", "`e84f2e8`", "sha256:4c0a…", "1.24@sha256:4c0a…".
func splitVersion(s string, rule hexRule) (version, digest string) {
	t := strings.TrimSpace(s)
	quoted := len(t) >= 2 && t[0] == '`' && t[len(t)-1] == '`'
	inner := strings.TrimSpace(strings.Trim(t, "`"))
	if v, d, ok := strings.Cut(inner, "@"); ok && isSHA256(d) {
		return clean(v), clean(d)
	}
	if isSHA256(inner) {
		return "", clean(inner)
	}
	if isHexDigest(inner) {
		switch {
		case rule == hexAlways,
			rule == hexQuoted && quoted,
			rule == hexLikely && (strings.ContainsAny(inner, "abcdef") || len(inner) == 40 || len(inner) == 64):
			return "", clean(inner)
		}
	}
	return clean(s), ""
}

// isSHA256 accepts "sha256:" and a hex digest, full or shortened.
func isSHA256(s string) bool {
	h, ok := strings.CutPrefix(s, "sha256:")
	return ok && isHexDigest(h)
}

// isHexDigest accepts 7 to 64 lower-case hex digits: git and Docker
// shorten to 7, a sha256 digest has 64.
func isHexDigest(s string) bool {
	if len(s) < 7 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// keepTags gives a digest update its unchanged tag as both versions.
// Dependabot shows digests instead of versions only when the version (the
// tag) stays, and its block then holds that version as the new one: the
// old digest is not the old version.
func keepTags(us []Update) {
	for i := range us {
		u := &us[i]
		if u.From == "" && u.To != "" && u.FromDigest != "" && u.ToDigest != "" {
			u.From = u.To
		}
	}
}
