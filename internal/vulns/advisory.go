package vulns

import (
	"slices"
	"strings"
)

// AdvisoryStatus is what a result says about one advisory.
type AdvisoryStatus string

const (
	// AdvisoryGone: a change fixed it and no package still has it.
	AdvisoryGone AdvisoryStatus = "gone"
	// AdvisoryPresent: a package of the head image still has it, or a
	// change introduced it.
	AdvisoryPresent AdvisoryStatus = "present"
	// AdvisoryNotFound: no evaluated package is or was affected by it.
	AdvisoryNotFound AdvisoryStatus = "not-found"
)

// AdvisoryCheck answers Result.Advisory.
type AdvisoryCheck struct {
	Status AdvisoryStatus
	// Fixed and Present name the packages ("name from → to") where the
	// advisory was fixed and where it remains.
	Fixed, Present []string
	// Incomplete is set when some changes could not be evaluated, so
	// "not found" (or "gone") may not be the whole story.
	Incomplete bool
}

// Advisory checks an advisory id against the result, as a security
// update's pull request names it (a GHSA or CVE id): found as a
// vulnerability's id, one of its aliases or one of its upstream ids,
// case-insensitively.
func (r *Result) Advisory(id string) AdvisoryCheck {
	id = strings.TrimSpace(id)
	var c AdvisoryCheck
	for _, p := range r.Packages {
		label := p.Name + " " + p.From + " → " + p.To
		if slices.ContainsFunc(p.Fixed, names(id)) {
			c.Fixed = append(c.Fixed, label)
		}
		if slices.ContainsFunc(p.StillPresent, names(id)) || slices.ContainsFunc(p.Introduced, names(id)) {
			c.Present = append(c.Present, label)
		}
	}
	switch {
	case len(c.Present) > 0:
		c.Status = AdvisoryPresent
	case len(c.Fixed) > 0:
		c.Status = AdvisoryGone
	default:
		c.Status = AdvisoryNotFound
	}
	c.Incomplete = len(r.Skipped) > 0
	return c
}

func names(id string) func(Vuln) bool {
	return func(v Vuln) bool {
		eq := func(s string) bool { return strings.EqualFold(s, id) }
		return eq(v.ID) || slices.ContainsFunc(v.Aliases, eq) || slices.ContainsFunc(v.Upstream, eq)
	}
}
