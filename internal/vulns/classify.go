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

// finding is one record's verdict on both sides of a change.
type finding struct {
	rec           *osvschema.Vulnerability
	before, after verdict
}

// group gathers the records that are one vulnerability: linked, directly
// or through another record, by their ids and aliases.
type group struct {
	findings []finding
	keys     map[string]bool
}

// evaluateChange decides every candidate record on both sides; the
// candidates are what the source answered for either side, so a record
// found for the old version is also checked against the new one.
func evaluateChange(c Change, before, after side, found []osv.Found) PackageResult {
	pr := PackageResult{Ecosystem: c.Ecosystem, Name: c.Name, From: c.From, To: c.To, Location: c.Location}
	r := packages.Rules(c.Ecosystem)
	var candidates []*osvschema.Vulnerability
	ids := map[string]bool{}
	for _, s := range []side{before, after} {
		if s.index < 0 {
			continue
		}
		for _, rec := range found[s.index].Records {
			if !ids[rec.GetId()] {
				ids[rec.GetId()] = true
				candidates = append(candidates, rec)
			}
		}
	}
	var findings []finding
	for _, rec := range candidates {
		f := finding{rec: rec}
		if before.index >= 0 {
			f.before = evaluate(rec, before.query, r)
			pr.OSVBefore = before.query.String()
		}
		if after.index >= 0 {
			f.after = evaluate(rec, after.query, r)
			pr.OSVAfter = after.query.String()
		}
		pr.Notes = appendUnique(pr.Notes, f.before.notes...)
		pr.Notes = appendUnique(pr.Notes, f.after.notes...)
		pr.Notes = appendUnique(pr.Notes, disputed(rec, before, f.before, found, c.Ecosystem)...)
		pr.Notes = appendUnique(pr.Notes, disputed(rec, after, f.after, found, c.Ecosystem)...)
		if f.before.affected || f.after.affected {
			findings = append(findings, f)
		}
	}
	for _, g := range groupFindings(findings) {
		inBefore, inAfter := false, false
		for _, f := range g.findings {
			inBefore = inBefore || f.before.affected
			inAfter = inAfter || f.after.affected
		}
		v := g.vuln(r)
		switch {
		case inBefore && inAfter:
			pr.StillPresent = append(pr.StillPresent, v)
		case inBefore:
			v.FixedIn = nil
			pr.Fixed = append(pr.Fixed, v)
		default:
			pr.Introduced = append(pr.Introduced, v)
		}
	}
	for _, vs := range [][]Vuln{pr.Fixed, pr.Introduced, pr.StillPresent} {
		slices.SortFunc(vs, func(a, b Vuln) int {
			if c := cmp.Compare(b.Severity.Level.Rank(), a.Severity.Level.Rank()); c != 0 {
				return c
			}
			return cmp.Compare(a.ID, b.ID)
		})
	}
	return pr
}

// disputed notes a record the source claims affects a side's version
// while the ecosystem's ordering finds the version outside it: the
// result follows the ordering, and the note lets the difference be seen.
func disputed(rec *osvschema.Vulnerability, s side, v verdict, found []osv.Found, ecosystem string) []string {
	if s.index < 0 || v.affected || rec.GetWithdrawn() != nil || !found[s.index].Claimed ||
		!slices.Contains(found[s.index].Records, rec) {
		return nil
	}
	return []string{fmt.Sprintf("%s: OSV lists it for %s, but by %s ordering the version is not affected", rec.GetId(), s.query, ecosystem)}
}

// groupFindings links records by id and aliases, and by upstream ids
// that are themselves among the records found: a distribution's record
// (ALPINE-CVE-2025-26519, a DLA) and the upstream CVE record it addresses
// are one vulnerability of this package, as the schema's upstream field
// intends. Two advisories that merely share an upstream CVE stay apart.
func groupFindings(findings []finding) []*group {
	found := map[string]bool{}
	for _, f := range findings {
		found[f.rec.GetId()] = true
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, f := range findings {
		keys := append([]string{f.rec.GetId()}, f.rec.GetAliases()...)
		for _, u := range f.rec.GetUpstream() {
			if found[u] {
				keys = append(keys, u)
			}
		}
		g := &group{keys: map[string]bool{}}
		for _, k := range keys {
			if old := byKey[k]; old != nil && old != g {
				g.findings = append(g.findings, old.findings...)
				for ok := range old.keys {
					g.keys[ok] = true
				}
				groups = slices.DeleteFunc(groups, func(x *group) bool { return x == old })
			}
		}
		g.findings = append(g.findings, f)
		for _, k := range keys {
			g.keys[k] = true
		}
		for k := range g.keys {
			byKey[k] = g
		}
		groups = append(groups, g)
	}
	return groups
}

// vuln describes a group. Its ID is a record's own id, a GHSA first
// (the id GitHub and Dependabot show), else the smallest; every other id
// of the group becomes an alias.
func (g *group) vuln(r packages.EcosystemRules) Vuln {
	recs := make([]*osvschema.Vulnerability, len(g.findings))
	for i, f := range g.findings {
		recs[i] = f.rec
	}
	slices.SortFunc(recs, func(a, b *osvschema.Vulnerability) int {
		ga, gb := strings.HasPrefix(a.GetId(), "GHSA-"), strings.HasPrefix(b.GetId(), "GHSA-")
		if ga != gb {
			if ga {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.GetId(), b.GetId())
	})
	primary := recs[0]
	v := Vuln{ID: primary.GetId(), Link: osv.Link(primary.GetId()), Severity: Severity{Level: LevelUnknown}}
	for k := range g.keys {
		if k != v.ID {
			v.Aliases = append(v.Aliases, k)
		}
	}
	slices.Sort(v.Aliases)
	for _, rec := range recs {
		if v.Summary == "" {
			v.Summary = summaryOf(rec)
		}
		for _, u := range rec.GetUpstream() {
			if !g.keys[u] {
				v.Upstream = appendUnique(v.Upstream, u)
			}
		}
	}
	slices.Sort(v.Upstream)
	for _, f := range g.findings {
		entries := append(append([]*osvschema.Affected(nil), f.before.entries...), f.after.entries...)
		if s := severityOf(f.rec, entries); higher(s, v.Severity) {
			v.Severity = s
		}
		v.FixedIn = appendUnique(v.FixedIn, f.after.fixedIn...)
	}
	slices.SortFunc(v.FixedIn, func(a, b string) int {
		c, _ := r.Compare(a, b)
		return c
	})
	return v
}

// summaryOf is the record's summary, else the first line of its details,
// capped: records are untrusted and the caller renders them.
func summaryOf(rec *osvschema.Vulnerability) string {
	s := rec.GetSummary()
	if s == "" {
		s, _, _ = strings.Cut(strings.TrimSpace(rec.GetDetails()), "\n")
	}
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > 200 {
		s = string(r[:199]) + "…"
	}
	return s
}

func appendUnique(list []string, items ...string) []string {
	for _, it := range items {
		if !slices.Contains(list, it) {
			list = append(list, it)
		}
	}
	return list
}
