package report

import (
	"fmt"
	"strings"
)

// Rows offered per table of the vulnerabilities section; the rest are
// counted in the table's note and left to the full report.
const (
	mdVulnRows    = 50
	mdSkippedRows = 10
	mdAdvisories  = 20
)

var outcomeCell = map[string]string{
	outcomeIntroduced: "🔺 **introduced**",
	outcomeFixed:      "✅ fixed",
	outcomePresent:    "still present",
}

// vulnHeadMD is what the verdict's block says of vulnerabilities: a part
// of the summary line, and, when the data could not be had, a paragraph
// that says so plainly.
func vulnHeadMD(r *Report) (summary, para string) {
	v := r.Vulnerabilities
	if v == nil {
		return "", ""
	}
	summary = " · " + md(vulnPhrase(v), 0)
	if v.Unavailable != "" {
		para = fmt.Sprintf("⚠️ **Known vulnerabilities were not checked:** the data could not be had from %s (%s). "+
			"This report says nothing about what the change fixes or introduces.\n\n", sourceName(v.Source), md(v.Unavailable, capText))
	}
	return summary, para
}

// advisoriesBlock checks the advisories a pull request says it fixes:
// not folded, it answers the first question about a security update.
func advisoriesBlock(r *Report) *block {
	v := r.Vulnerabilities
	if v == nil || v.Unavailable != "" || len(v.Advisories) == 0 {
		return nil
	}
	t := &table{header: "| Advisory | In the head image | Where |\n| --- | --- | --- |\n"}
	for i, a := range v.Advisories {
		if i == mdAdvisories {
			t.hidden = len(v.Advisories) - i
			break
		}
		mark := map[string]string{AdvisoryGone: "✅ ", AdvisoryPresent: "❌ "}[a.Status]
		t.rows = append(t.rows, fmt.Sprintf("| %s | %s%s | %s |\n", md(a.ID, capName), mark, advisoryStatus(a),
			orDash(md(advisoryWhere(a), capText))))
	}
	return &block{kind: kindExtra, text: "#### Advisories the pull request names\n\n", tables: []*table{t}}
}

// vulnBlock is the folded section: a table per severity, then the changes
// that could not be checked.
func vulnBlock(r *Report) *block {
	v := r.Vulnerabilities
	if v == nil || v.Unavailable != "" || len(v.Packages)+len(v.Skipped) == 0 {
		return nil
	}
	t := v.Totals
	summary := fmt.Sprintf("<b>Known vulnerabilities</b> · %s introduced · %s fixed · %s still present",
		count(t.Introduced), count(t.Fixed), count(t.StillPresent))
	text := fmt.Sprintf("%s %s checked against %s (%s).\n\n", count(t.Evaluated),
		plural(t.Evaluated, "package change", "package changes"), sourceName(v.Source), CodeSpan(v.Source.Location, capPath, false))
	var tables []*table
	for _, g := range vulnGroups(v) {
		tb := &table{intro: "**" + levelTitle(g.Level) + "**\n\n",
			header: "| Change | Vulnerability | Package | Versions | Fixed in | Summary |\n| --- | --- | --- | --- | --- | --- |\n"}
		for i, row := range g.Rows {
			if i == mdVulnRows {
				tb.hidden = len(g.Rows) - i
				break
			}
			tb.rows = append(tb.rows, vulnRowMD(row))
		}
		tables = append(tables, tb)
	}
	if len(v.Skipped) > 0 {
		tb := &table{intro: "**Not checked**\n\n", header: "| Package | Versions | Why |\n| --- | --- | --- |\n"}
		for i, s := range v.Skipped {
			if i == mdSkippedRows {
				tb.hidden = len(v.Skipped) - i
				break
			}
			tb.rows = append(tb.rows, fmt.Sprintf("| %s | %s → %s | %s |\n", md(s.Name, capName),
				CodeSpan(s.From, capVersion, true), CodeSpan(s.To, capVersion, true), md(s.Reason, capText)))
		}
		tables = append(tables, tb)
	}
	return details(summary, tables, text, "")
}

func vulnRowMD(r vulnRow) string {
	id, aliases := vulnName(r.Vuln)
	name := md(id, capName)
	if len(aliases) > 0 {
		as := make([]string, len(aliases))
		for i, a := range aliases {
			as[i] = md(a, capName)
		}
		name += " (" + strings.Join(as, ", ") + ")"
	}
	var fixes []string
	for _, f := range fixedIn(r) {
		fixes = append(fixes, CodeSpan(f, capVersion, true))
	}
	pkg := md(r.Pkg.Name, capName)
	if r.Copies > 1 {
		pkg += fmt.Sprintf(" (%s copies)", count(r.Copies))
	}
	return fmt.Sprintf("| %s | %s | %s | %s → %s | %s | %s |\n", outcomeCell[r.Outcome], name, pkg,
		CodeSpan(r.Pkg.From, capVersion, true), CodeSpan(r.Pkg.To, capVersion, true),
		orDash(strings.Join(fixes, ", ")), md(r.Vuln.Summary, capText))
}
