package vulns

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/vulns/osv"
	"github.com/ossf/osv-schema/bindings/go/osvschema"
)

// verdict is what one record says about one package version.
type verdict struct {
	affected bool
	fixedIn  []string              // fixed events above the version, in the ranges that matched
	entries  []*osvschema.Affected // the entries naming the package (for their severity)
	notes    []string
}

// evaluate decides whether rec affects q, following the OSV schema's
// Evaluation section with the ecosystem's own ordering (r). Only entries
// whose package is q's count: same base ecosystem, same release suffix
// when both have one (so Debian:12 never matches Debian:13, and a plain
// "Debian" entry matches every release), same name under the ecosystem's
// normalisation. Entries without a package (GIT-only) and GIT ranges are
// never evaluated against a package version. Withdrawn records affect
// nothing.
func evaluate(rec *osvschema.Vulnerability, q osv.Query, r packages.EcosystemRules) verdict {
	var v verdict
	if rec.GetWithdrawn() != nil {
		return v
	}
	name := r.Normalize(q.Name)
	for _, a := range rec.GetAffected() {
		p := a.GetPackage()
		if p == nil || !sameEcosystem(p.GetEcosystem(), q.Ecosystem) || r.Normalize(p.GetName()) != name {
			continue
		}
		v.entries = append(v.entries, a)
		if slices.Contains(a.GetVersions(), q.Version) {
			v.affected = true
		}
		for _, rg := range a.GetRanges() {
			if t := rg.GetType(); t != osvschema.Range_ECOSYSTEM && t != osvschema.Range_SEMVER {
				continue
			}
			in, fixed, err := inRange(q.Version, rg.GetEvents(), r)
			if err != nil {
				v.notes = append(v.notes, fmt.Sprintf("%s: range left aside: %v", rec.GetId(), err))
				continue
			}
			if in {
				v.affected = true
				v.fixedIn = append(v.fixedIn, fixed...)
			}
		}
	}
	return v
}

// sameEcosystem compares "Base[:suffix]" strings: bases must be equal,
// suffixes only when both are present.
func sameEcosystem(a, b string) bool {
	ab, as, _ := strings.Cut(a, ":")
	bb, bs, _ := strings.Cut(b, ":")
	return ab == bb && (as == "" || bs == "" || as == bs)
}

type event struct {
	kind string // "introduced", "fixed", "last_affected", "limit"
	ver  string
	min  bool // introduced "0": before every version
	max  bool // limit "*": after every version
}

// inRange evaluates one ECOSYSTEM or SEMVER range. Every version in it
// must parse under the ecosystem's ordering, else the range cannot be
// sorted and is reported instead of guessed.
func inRange(v string, evs []*osvschema.Event, r packages.EcosystemRules) (bool, []string, error) {
	events := make([]event, 0, len(evs))
	for _, e := range evs {
		ev, ok := eventOf(e)
		if !ok {
			continue
		}
		if !ev.min && !ev.max {
			if _, err := r.Compare(ev.ver, ev.ver); err != nil {
				return false, nil, err
			}
		}
		events = append(events, ev)
	}
	cmp := func(a, b event) int {
		if ra, rb := a.rank(), b.rank(); ra != 0 || rb != 0 {
			return cmp.Compare(ra, rb)
		}
		c, _ := r.Compare(a.ver, b.ver) // both parse: checked above
		return c
	}
	slices.SortStableFunc(events, cmp)
	at := event{ver: v}
	if !beforeLimits(at, events, cmp) {
		return false, nil, nil
	}
	vulnerable := false
	for _, e := range events {
		switch {
		case e.kind == "introduced" && cmp(at, e) >= 0:
			vulnerable = true
		case e.kind == "fixed" && cmp(at, e) >= 0:
			vulnerable = false
		case e.kind == "last_affected" && cmp(at, e) > 0:
			vulnerable = false
		}
	}
	if !vulnerable {
		return false, nil, nil
	}
	for _, e := range events {
		if e.kind == "fixed" && cmp(at, e) < 0 {
			return true, []string{e.ver}, nil
		}
	}
	return true, nil, nil
}

// beforeLimits: without limit events the range is open; with them the
// version must sit below one of them.
func beforeLimits(at event, events []event, cmp func(a, b event) int) bool {
	limited := false
	for _, e := range events {
		if e.kind == "limit" {
			limited = true
			if cmp(at, e) < 0 {
				return true
			}
		}
	}
	return !limited
}

// eventOf reads the one field an event sets; the schema allows a single
// type per event, so an event with several is read by the first.
func eventOf(e *osvschema.Event) (event, bool) {
	switch {
	case e.GetIntroduced() != "":
		return event{kind: "introduced", ver: e.GetIntroduced(), min: e.GetIntroduced() == "0"}, true
	case e.GetFixed() != "":
		return event{kind: "fixed", ver: e.GetFixed()}, true
	case e.GetLastAffected() != "":
		return event{kind: "last_affected", ver: e.GetLastAffected()}, true
	case e.GetLimit() != "":
		return event{kind: "limit", ver: e.GetLimit(), max: e.GetLimit() == "*"}, true
	}
	return event{}, false
}

// rank places "0" before and "*" after every version.
func (e event) rank() int {
	switch {
	case e.min:
		return -1
	case e.max:
		return 1
	}
	return 0
}
