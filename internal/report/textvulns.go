package report

import (
	"fmt"
	"strings"
)

// vulnHeadRows are the summary rows of the vulnerabilities: the phrase,
// and why the data could not be had.
func vulnHeadRows(r *Report) [][]string {
	v := r.Vulnerabilities
	if v == nil {
		return nil
	}
	rows := [][]string{{"vulns", vulnPhrase(v)}}
	if v.Unavailable != "" {
		rows = append(rows, []string{"", "from " + sourceName(v.Source) + ": " + clean(v.Unavailable, capText)})
	}
	return rows
}

func (t *textWriter) vulns(r *Report) {
	v := r.Vulnerabilities
	if v == nil || v.Unavailable != "" {
		return
	}
	if len(v.Advisories) > 0 {
		t.heading("Advisories the pull request names")
		var rows [][]string
		for _, a := range v.Advisories {
			rows = append(rows, []string{clean(a.ID, capName), advisoryStatus(a), clean(advisoryWhere(a), capText)})
		}
		t.table(rows)
	}
	if len(v.Packages)+len(v.Skipped) == 0 {
		return
	}
	tot := v.Totals
	t.heading(fmt.Sprintf("Known vulnerabilities (%s introduced, %s fixed, %s still present; %s at %s)",
		count(tot.Introduced), count(tot.Fixed), count(tot.StillPresent), sourceName(v.Source), clean(v.Source.Location, capPath)))
	var all []vulnRow
	for _, g := range vulnGroups(v) {
		all = append(all, g.Rows...)
	}
	n := t.limit(len(all))
	var rows [][]string
	for _, row := range all[:n] {
		rows = append(rows, t.vulnRow(row))
	}
	t.table(rows)
	t.more(len(all)-n, "vulnerabilities")
	if len(v.Skipped) > 0 {
		fmt.Fprintf(&t.b, "  not checked (%s):\n", count(len(v.Skipped)))
		rows = nil
		n := t.limit(len(v.Skipped))
		for _, s := range v.Skipped[:n] {
			rows = append(rows, []string{"  " + clean(s.Name, capName), orDash(clean(s.From, capVersion)), "→",
				orDash(clean(s.To, capVersion)), clean(s.Reason, capText)})
		}
		t.table(rows)
		t.more(len(v.Skipped)-n, "changes not checked")
	}
}

func (t *textWriter) vulnRow(r vulnRow) []string {
	level := r.Vuln.Severity.Level
	code := map[string]string{"critical": ansiRed + ansiBold, "high": ansiRed, "medium": ansiYellow}[level]
	outcome := r.Outcome
	switch outcome {
	case outcomeIntroduced:
		outcome = t.esc(ansiRed+ansiBold, outcome)
	case outcomeFixed:
		outcome = t.esc(ansiGreen, outcome)
	}
	id, aliases := vulnName(r.Vuln)
	name := clean(id, capName)
	if len(aliases) > 0 {
		name += " (" + clean(strings.Join(aliases, ", "), capText) + ")"
	}
	pkg := clean(r.Pkg.Name, capName)
	if r.Copies > 1 {
		pkg += fmt.Sprintf(" (%s copies)", count(r.Copies))
	}
	var fix string
	if f := fixedIn(r); len(f) > 0 {
		fix = "fixed in " + clean(strings.Join(f, ", "), capText)
	}
	lv := clean(level, 10)
	if code != "" {
		lv = t.esc(code, lv)
	}
	return []string{lv, outcome, name, pkg, orDash(clean(r.Pkg.From, capVersion)), "→",
		orDash(clean(r.Pkg.To, capVersion)), fix, clean(r.Vuln.Summary, 80)}
}
