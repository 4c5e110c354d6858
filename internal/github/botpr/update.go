package botpr

import "strings"

// An update is known by its name and the version (or digest) it replaces: a lock file
// often holds one package in two major lines, each updated apart
// ("picomatch 2.3.1 → 2.3.2" and "4.0.1 → 4.0.2"), and a group across
// directories updates one name from several versions. A mention that
// lacks the replaced version (a link, a block entry) is the update of
// that name whose new version does not contradict it.

// add appends u, or merges it into the update it repeats.
func add(us []Update, u Update) []Update {
	if !isName(u.Name) {
		return us
	}
	if i := find(us, u); i >= 0 {
		us[i] = merge(us[i], u)
		return us
	}
	if len(us) >= maxUpdates {
		return us
	}
	return append(us, u)
}

// find returns the index of the update u repeats, -1 for none: one that
// replaces the same version, else the first that contradicts u nowhere.
func find(us []Update, u Update) int {
	loose := -1
	for i := range us {
		x := &us[i]
		if !strings.EqualFold(x.Name, u.Name) || differ(x.From, u.From) || differDigest(x.FromDigest, u.FromDigest) {
			continue
		}
		if x.From != "" && u.From != "" || x.FromDigest != "" && u.FromDigest != "" {
			return i
		}
		if loose < 0 && !differ(x.To, u.To) && !differDigest(x.ToDigest, u.ToDigest) {
			loose = i
		}
	}
	return loose
}

// fill adds to the updates of record what other, a source that says less,
// knows of the same updates. Updates other alone names are not added.
func fill(record, other []Update) {
	for _, u := range other {
		if i := find(record, u); i >= 0 {
			record[i] = merge(record[i], u)
		}
	}
}

// merge fills the blanks of a with b.
func merge(a, b Update) Update {
	fill := func(x *string, y string) {
		if *x == "" {
			*x = y
		}
	}
	fill(&a.From, b.From)
	fill(&a.To, b.To)
	fill(&a.FromDigest, b.FromDigest)
	fill(&a.ToDigest, b.ToDigest)
	fill(&a.Type, b.Type)
	fill(&a.UpdateType, b.UpdateType)
	fill(&a.Group, b.Group)
	return a
}

// differ reports whether two versions are both known and not the same.
func differ(a, b string) bool {
	return a != "" && b != "" && !sameVersion(a, b)
}

// sameVersion compares versions as bots write them: "v1.2", "==1.2" and
// "1.2" are one version.
func sameVersion(a, b string) bool {
	return normVersion(a) == normVersion(b)
}

func normVersion(s string) string {
	s = strings.TrimLeft(strings.ToLower(strings.TrimSpace(s)), "=")
	return strings.TrimPrefix(s, "v")
}

// differDigest reports whether two digests are both known and not the
// same; a short digest is the same as the full one it begins.
func differDigest(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	a = strings.TrimPrefix(strings.ToLower(a), "sha256:")
	b = strings.TrimPrefix(strings.ToLower(b), "sha256:")
	if len(a) > len(b) {
		a, b = b, a
	}
	return !strings.HasPrefix(b, a)
}

// major is the first component of a version: "4" for "v4.0.1".
func major(v string) string {
	v = normVersion(v)
	if i := strings.IndexAny(v, ".-+"); i >= 0 {
		v = v[:i]
	}
	return v
}
