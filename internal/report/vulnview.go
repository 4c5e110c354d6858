package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// The views below are shared by the text and Markdown renderers of the
// vulnerabilities: the same rows, in the same order, most telling first.

// vulnPhrase is the summary line's part: the good news first ("fixes 7
// known vulnerabilities, introduces 1"); "" without a lookup.
func vulnPhrase(v *Vulnerabilities) string {
	switch {
	case v == nil:
		return ""
	case v.Unavailable != "":
		return "known vulnerabilities not checked (data unavailable)"
	}
	t := v.Totals
	var parts []string
	if t.Fixed > 0 {
		parts = append(parts, fmt.Sprintf("fixes %s known %s", count(t.Fixed), plural(t.Fixed, "vulnerability", "vulnerabilities")))
	}
	if t.Introduced > 0 {
		if len(parts) == 0 {
			parts = append(parts, fmt.Sprintf("introduces %s known %s", count(t.Introduced), plural(t.Introduced, "vulnerability", "vulnerabilities")))
		} else {
			parts = append(parts, "introduces "+count(t.Introduced))
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "no known vulnerability fixed or introduced")
	}
	if t.Skipped > 0 {
		parts = append(parts, fmt.Sprintf("%s %s not checked", count(t.Skipped), plural(t.Skipped, "change", "changes")))
	}
	return strings.Join(parts, ", ")
}

// sourceName says where the data came from, in words.
func sourceName(s VulnSource) string {
	switch s.Kind {
	case VulnSourceAPI:
		return "the OSV API"
	case VulnSourceOffline:
		return "the offline OSV database"
	}
	return "OSV"
}

// Outcomes of a vulnerability row, in the order rows are shown.
const (
	outcomeIntroduced = "introduced"
	outcomeFixed      = "fixed"
	outcomePresent    = "still present"
)

var outcomeRank = map[string]int{outcomeIntroduced: 0, outcomeFixed: 1, outcomePresent: 2}

// vulnRow is one vulnerability of one package change; Copies counts the
// changes it stands for (one package in several places, such as the
// standard library of several Go executables).
type vulnRow struct {
	Outcome string
	Vuln    Vulnerability
	Pkg     *VulnPackage
	Copies  int
}

// vulnLevelGroup is the rows of one severity level.
type vulnLevelGroup struct {
	Level string
	Rows  []vulnRow
}

// vulnGroups sorts every row into its severity level, most severe first
// (a level the renderers do not know goes with "unknown"); within a level
// introduced, then fixed, then still present.
func vulnGroups(v *Vulnerabilities) []vulnLevelGroup {
	byLevel := map[string][]vulnRow{}
	type key struct{ outcome, id, eco, name, from, to string }
	type at struct {
		level string
		i     int
	}
	seen := map[key]at{}
	for i := range v.Packages {
		p := &v.Packages[i]
		for _, o := range []struct {
			outcome string
			list    []Vulnerability
		}{{outcomeIntroduced, p.Introduced}, {outcomeFixed, p.Fixed}, {outcomePresent, p.StillPresent}} {
			for _, x := range o.list {
				l := x.Severity.Level
				if !slices.Contains(VulnLevels, l) {
					l = "unknown"
				}
				k := key{o.outcome, x.ID, p.Ecosystem, p.Name, p.From, p.To}
				if a, ok := seen[k]; ok {
					byLevel[a.level][a.i].Copies++
					continue
				}
				seen[k] = at{l, len(byLevel[l])}
				byLevel[l] = append(byLevel[l], vulnRow{Outcome: o.outcome, Vuln: x, Pkg: p, Copies: 1})
			}
		}
	}
	var out []vulnLevelGroup
	for _, l := range VulnLevels {
		rows := byLevel[l]
		if len(rows) == 0 {
			continue
		}
		slices.SortStableFunc(rows, func(a, b vulnRow) int {
			return cmp.Or(cmp.Compare(outcomeRank[a.Outcome], outcomeRank[b.Outcome]),
				cmp.Compare(a.Pkg.Name, b.Pkg.Name), cmp.Compare(a.Vuln.ID, b.Vuln.ID))
		})
		out = append(out, vulnLevelGroup{Level: l, Rows: rows})
	}
	return out
}

// levelTitle names a severity level in a heading.
func levelTitle(l string) string {
	if l == "unknown" {
		return "Unknown severity"
	}
	return strings.ToUpper(l[:1]) + l[1:]
}

// vulnName is the id with up to two aliases, CVE ids first: the names a
// reader searches for. A distribution's advisory (a DLA) names its CVE as
// upstream rather than as an alias; the first one is shown then.
func vulnName(x Vulnerability) (id string, aliases []string) {
	as := slices.Clone(x.Aliases)
	if !slices.ContainsFunc(as, isCVE) {
		if i := slices.IndexFunc(x.Upstream, isCVE); i >= 0 {
			as = append(as, x.Upstream[i])
		}
	}
	slices.SortStableFunc(as, func(a, b string) int {
		return cmp.Compare(boolRank(!isCVE(a)), boolRank(!isCVE(b)))
	})
	if len(as) > 2 {
		as = as[:2]
	}
	return x.ID, as
}

func isCVE(id string) bool { return strings.HasPrefix(id, "CVE-") }

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// fixedIn lists the fixing versions of an introduced or still present
// vulnerability, at most three.
func fixedIn(r vulnRow) []string {
	if r.Outcome == outcomeFixed {
		return nil
	}
	if len(r.Vuln.FixedIn) > 3 {
		return append(slices.Clone(r.Vuln.FixedIn[:3]), "…")
	}
	return r.Vuln.FixedIn
}

// advisoryStatus says in words what the head image shows of an
// advisory; advisoryWhere names the changes (untrusted text).
func advisoryStatus(a AdvisoryCheck) string {
	var s string
	switch a.Status {
	case AdvisoryGone:
		s = "gone"
	case AdvisoryPresent:
		s = "still there"
	default:
		s = "not found in the changed packages"
	}
	if a.Incomplete {
		s += " (some changes were not checked)"
	}
	return s
}

func advisoryWhere(a AdvisoryCheck) string {
	switch a.Status {
	case AdvisoryGone:
		return "fixed by " + strings.Join(a.Fixed, ", ")
	case AdvisoryPresent:
		s := "in " + strings.Join(a.Present, ", ")
		if len(a.Fixed) > 0 {
			s += "; fixed by " + strings.Join(a.Fixed, ", ")
		}
		return s
	}
	return ""
}
