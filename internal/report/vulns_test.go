package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

func vuln(id, level, summary string, aliases, fixedIn []string) Vulnerability {
	if aliases == nil {
		aliases = []string{}
	}
	if fixedIn == nil {
		fixedIn = []string{}
	}
	return Vulnerability{ID: id, Aliases: aliases, Summary: summary, Severity: VulnSeverity{Level: level},
		Link: "https://osv.dev/vulnerability/" + id, FixedIn: fixedIn}
}

func none() []Vulnerability { return []Vulnerability{} }

// sampleVulns is what the OSV records in the fixtures say of a Java
// service's log4j-core and semver upgrades and a Ruby nokogiri security
// update, as the vulnerability lookup records it.
func sampleVulns() *Vulnerabilities {
	log4j := vuln("GHSA-7rjr-3q55-vv33", "critical", "Incomplete fix for Apache Log4j vulnerability", []string{"CVE-2021-45046"}, []string{"2.16.0"})
	log4j.Severity = VulnSeverity{Level: "critical", Score: 9.0, Vector: "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H", Source: "CVSS_V3"}
	return &Vulnerabilities{
		Source: VulnSource{Kind: VulnSourceAPI, Location: "https://api.osv.dev"},
		Totals: VulnTotals{Fixed: 2, Introduced: 2, StillPresent: 1, Evaluated: 4, Skipped: 1},
		Packages: []VulnPackage{
			{Ecosystem: "java", Name: "org.apache.logging.log4j:log4j-core", Location: "/app/lib/log4j-core-2.13.0.jar", From: "2.12.2", To: "2.13.0",
				Fixed: none(), Introduced: []Vulnerability{log4j},
				StillPresent: []Vulnerability{vuln("GHSA-3pxv-7cmr-fjr4", "medium", "Apache Log4j Core's Rfc5424Layout ignores the escaping", []string{"CVE-2025-68161"}, []string{"2.25.4"})}},
			{Ecosystem: "npm", Name: "semver", Location: "/app/node_modules/semver/package.json", From: "6.3.1", To: "7.0.0",
				Fixed: none(), Introduced: []Vulnerability{vuln("GHSA-c2qf-rxjj-qqgw", "medium", "semver vulnerable to Regular Expression Denial of Service", []string{"CVE-2022-25883"}, []string{"7.5.2"})}, StillPresent: none()},
			{Ecosystem: "npm", Name: "minimist", Location: "/app/node_modules/minimist/package.json", From: "1.2.5", To: "1.2.6",
				Fixed: []Vulnerability{vuln("GHSA-xvch-5gv4-984h", "critical", "Prototype Pollution in minimist", []string{"CVE-2021-44906"}, nil)}, Introduced: none(), StillPresent: none()},
			{Ecosystem: "gem", Name: "nokogiri", Location: "/usr/local/bundle/specifications/nokogiri-1.16.5.gemspec", From: "1.16.4", To: "1.16.5",
				Fixed: []Vulnerability{vuln("GHSA-r95h-9x8f-r3f7", "low", "Nokogiri updates packaged libxml2 to v2.12.7 to resolve CVE-2024-34459", nil, nil)}, Introduced: none(), StillPresent: none()},
		},
		Skipped: []VulnSkipped{{Ecosystem: "go", Name: "example.com/tool", From: "(devel)", To: "v1.0.0",
			Reason: "invalid version: example.com/tool is a development build, (devel) names no release"}},
		Advisories: []AdvisoryCheck{
			{ID: "GHSA-r95h-9x8f-r3f7", Status: AdvisoryGone, Fixed: []string{"nokogiri 1.16.4 → 1.16.5"}, Present: []string{}, Incomplete: true},
			{ID: "CVE-2024-34459", Status: AdvisoryNotFound, Fixed: []string{}, Present: []string{}, Incomplete: true},
		},
	}
}

func vulnReport() *Report {
	r := sampleReport("high")
	r.Vulnerabilities = sampleVulns()
	return r
}

func unavailableReport() *Report {
	r := sampleReport()
	r.Vulnerabilities = &Vulnerabilities{Source: VulnSource{Kind: VulnSourceAPI, Location: "https://api.osv.dev"},
		Unavailable: "query OSV: Post \"https://api.osv.dev/v1/querybatch\": dial tcp: lookup api.osv.dev: no such host",
		Packages:    []VulnPackage{}, Skipped: []VulnSkipped{}}
	return r
}

func TestVulnGolden(t *testing.T) {
	for name, render := range map[string]func() []byte{
		"vulns.md": func() []byte { return []byte(Markdown(vulnReport(), MarkdownOptions{Key: "api"})) },
		"vulns.txt": func() []byte {
			var b bytes.Buffer
			if err := WriteText(&b, vulnReport(), TextOptions{}); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		},
		"vulns.json": func() []byte {
			var b bytes.Buffer
			if err := WriteJSON(&b, vulnReport()); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		},
		"vulns-unavailable.md": func() []byte { return []byte(Markdown(unavailableReport(), MarkdownOptions{Key: "api"})) },
		"vulns-unavailable.txt": func() []byte {
			var b bytes.Buffer
			if err := WriteText(&b, unavailableReport(), TextOptions{}); err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		},
	} {
		t.Run(name, func(t *testing.T) { golden(t, name, render()) })
	}
}

// The summary line gives the good news first, in words that count.
func TestVulnPhrase(t *testing.T) {
	for _, tt := range []struct {
		totals VulnTotals
		want   string
	}{
		{VulnTotals{Fixed: 7, Introduced: 1}, "fixes 7 known vulnerabilities, introduces 1"},
		{VulnTotals{Fixed: 1}, "fixes 1 known vulnerability"},
		{VulnTotals{Introduced: 2, StillPresent: 4}, "introduces 2 known vulnerabilities"},
		{VulnTotals{StillPresent: 4, Evaluated: 9}, "no known vulnerability fixed or introduced"},
		{VulnTotals{Fixed: 1200, Skipped: 1}, "fixes 1,200 known vulnerabilities, 1 change not checked"},
	} {
		if got := vulnPhrase(&Vulnerabilities{Totals: tt.totals}); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.totals, got, tt.want)
		}
	}
	if got := vulnPhrase(&Vulnerabilities{Unavailable: "down"}); !strings.Contains(got, "not checked") {
		t.Errorf("unavailable: %q", got)
	}
}

// hostileVulns puts attacker-controlled text (OSV records are as
// untrusted as the images) in every field the renderers show.
func hostileVulns(n int) *Vulnerabilities {
	v := &Vulnerabilities{Source: VulnSource{Kind: hostile[3], Location: hostile[13]},
		Totals: VulnTotals{Fixed: n, Introduced: n, StillPresent: n, Evaluated: n, Skipped: len(hostile)}}
	levels := append(append([]string{}, VulnLevels...), hostile[0])
	for i := 0; i < n; i++ {
		h := hostile[i%len(hostile)]
		x := Vulnerability{ID: h, Aliases: []string{hostile[(i+1)%len(hostile)], "CVE-" + h}, Upstream: []string{h},
			Summary: hostile[(i+2)%len(hostile)], Severity: VulnSeverity{Level: levels[i%len(levels)], Vector: h, Source: h},
			Link: h, FixedIn: []string{h, hostile[(i+3)%len(hostile)], "1", "2"}}
		empty := []Vulnerability{}
		p := VulnPackage{Ecosystem: h, Name: h, Location: h, From: hostile[(i+4)%len(hostile)], To: h,
			OSVBefore: h, OSVAfter: h, Fixed: empty, Introduced: empty, StillPresent: empty, Notes: []string{h}}
		switch i % 3 {
		case 0:
			p.Introduced = []Vulnerability{x}
		case 1:
			p.Fixed = []Vulnerability{x}
		default:
			p.StillPresent = []Vulnerability{x, x}
		}
		v.Packages = append(v.Packages, p)
	}
	v.Skipped = []VulnSkipped{}
	for i, h := range hostile {
		v.Skipped = append(v.Skipped, VulnSkipped{Ecosystem: h, Name: h, From: h, To: hostile[(i+1)%len(hostile)], Reason: h})
		v.Advisories = append(v.Advisories, AdvisoryCheck{ID: h, Status: []string{AdvisoryGone, AdvisoryPresent, AdvisoryNotFound, h}[i%4],
			Fixed: []string{h, h}, Present: []string{hostile[(i+5)%len(hostile)]}, Incomplete: i%2 == 0})
	}
	return v
}

// The vulnerabilities section of a hostile report parses as GitHub would
// with only our own HTML, tables intact, within the budget.
func TestVulnMarkdownHostile(t *testing.T) {
	for _, tt := range []struct{ n, maxLen int }{{3, 0}, {400, 0}, {400, 20_000}, {2000, MinMaxLen}} {
		r := hostileReport(30)
		r.Vulnerabilities = hostileVulns(tt.n)
		out, kept := markdown(r, MarkdownOptions{Key: "k", MaxLen: tt.maxLen,
			Extra: []Section{{Title: "Declared updates", Body: "| Package | Declared |\n| --- | --- |\n| a | 1 |"}}})
		limit := tt.maxLen
		if limit == 0 {
			limit = GitHubMaxLen
		}
		name := fmt.Sprintf("%d vulnerabilities, max %d", tt.n, limit)
		if len(out) > limit {
			t.Errorf("%s: %d bytes", name, len(out))
		}
		checkMarkdown(t, name, out, kept)
		var b bytes.Buffer
		if err := WriteText(&b, r, TextOptions{Limit: -1}); err != nil {
			t.Fatal(err)
		}
		if strings.ContainsAny(b.String(), "\x1b\r\u202e") {
			t.Errorf("%s: control or bidi characters in the text report", name)
		}
	}
}
