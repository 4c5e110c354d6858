package vulns

import (
	"fmt"
	"strings"

	"github.com/imagedrift/imagedrift/internal/report"
	"github.com/imagedrift/imagedrift/internal/risk"
)

// toReport is the report's form of a result: every list present, the
// optional ones nil when empty, as the JSON contract reads them back.
func toReport(res *Result, o ContributorOptions) *report.Vulnerabilities {
	t := res.Totals
	v := &report.Vulnerabilities{Source: o.Source,
		Totals: report.VulnTotals{Fixed: t.Fixed, Introduced: t.Introduced, StillPresent: t.StillPresent,
			Evaluated: t.Evaluated, Skipped: t.Skipped},
		Packages: make([]report.VulnPackage, 0, len(res.Packages)),
		Skipped:  make([]report.VulnSkipped, 0, len(res.Skipped))}
	for _, p := range res.Packages {
		v.Packages = append(v.Packages, report.VulnPackage{Ecosystem: p.Ecosystem, Name: p.Name, Location: p.Location,
			From: p.From, To: p.To, OSVBefore: p.OSVBefore, OSVAfter: p.OSVAfter,
			Fixed: vulnList(p.Fixed), Introduced: vulnList(p.Introduced), StillPresent: vulnList(p.StillPresent),
			Notes: nilIfEmpty(p.Notes)})
	}
	for _, s := range res.Skipped {
		v.Skipped = append(v.Skipped, report.VulnSkipped{Ecosystem: s.Ecosystem, Name: s.Name, From: s.From, To: s.To, Reason: s.Reason})
	}
	seen := map[string]bool{}
	for _, id := range o.Advisories {
		id = strings.TrimSpace(id)
		if id == "" || seen[strings.ToUpper(id)] {
			continue
		}
		seen[strings.ToUpper(id)] = true
		c := res.Advisory(id)
		v.Advisories = append(v.Advisories, report.AdvisoryCheck{ID: id, Status: string(c.Status),
			Fixed: orEmpty(c.Fixed), Present: orEmpty(c.Present), Incomplete: c.Incomplete})
	}
	return v
}

func vulnList(vs []Vuln) []report.Vulnerability {
	out := make([]report.Vulnerability, 0, len(vs))
	for _, x := range vs {
		s := x.Severity
		out = append(out, report.Vulnerability{ID: x.ID, Aliases: orEmpty(x.Aliases), Upstream: nilIfEmpty(x.Upstream),
			Summary: x.Summary, Link: x.Link, FixedIn: orEmpty(x.FixedIn),
			Severity: report.VulnSeverity{Level: string(s.Level), Score: s.Score, Vector: s.Vector, Source: s.Source}})
	}
	return out
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

// riskLevel maps a severity to a risk level: critical and high are high,
// medium is medium, and low, none or unknown are low (a vulnerability of
// unknown severity is still one to look at). The policy's level for the
// id, when it sets one, replaces it.
func riskLevel(l Level) risk.Level {
	switch l {
	case LevelCritical, LevelHigh:
		return risk.High
	case LevelMedium:
		return risk.Medium
	}
	return risk.Low
}

// maxRiskSummary caps the record's summary in a risk's message.
const maxRiskSummary = 120

// risksOf raises vulnerability-introduced once per vulnerability and
// package a change brings in. Copies of one package changed alike (the
// standard library of several Go executables) raise it once.
func risksOf(res *Result) []risk.Risk {
	var out []risk.Risk
	seen := map[string]bool{}
	for _, p := range res.Packages {
		for _, x := range p.Introduced {
			r := risk.Risk{ID: risk.VulnerabilityIntroduced, Level: riskLevel(x.Severity.Level),
				Subject: p.Ecosystem + ":" + p.Name, Message: riskMessage(p, x)}
			if k := r.Subject + "\x00" + r.Message; !seen[k] {
				seen[k] = true
				out = append(out, r)
			}
		}
	}
	return out
}

// riskMessage: "GHSA-7rjr-3q55-vv33 (CVE-2021-45046), critical, comes
// with 2.12.2 → 2.13.0, fixed in 2.16.0: Incomplete fix for …".
func riskMessage(p PackageResult, x Vuln) string {
	var b strings.Builder
	b.WriteString(x.ID)
	for _, a := range x.Aliases {
		if strings.HasPrefix(a, "CVE-") {
			fmt.Fprintf(&b, " (%s)", a)
			break
		}
	}
	fmt.Fprintf(&b, ", %s", x.Severity.Level)
	if p.From == "" {
		fmt.Fprintf(&b, ", comes with %s (added)", p.To)
	} else {
		fmt.Fprintf(&b, ", comes with %s → %s", p.From, p.To)
	}
	if fixes := x.FixedIn; len(fixes) > 0 {
		if len(fixes) > 3 {
			fixes = append(fixes[:3:3], "…")
		}
		fmt.Fprintf(&b, ", fixed in %s", strings.Join(fixes, ", "))
	}
	if s := x.Summary; s != "" {
		if r := []rune(s); len(r) > maxRiskSummary {
			s = string(r[:maxRiskSummary-1]) + "…"
		}
		b.WriteString(": " + s)
	}
	return b.String()
}
