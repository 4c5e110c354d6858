package vulns

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/imagedrift/imagedrift/internal/analysis"
	"github.com/imagedrift/imagedrift/internal/config"
	"github.com/imagedrift/imagedrift/internal/golden"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/report"
	"github.com/imagedrift/imagedrift/internal/report/reporttest"
	"github.com/imagedrift/imagedrift/internal/risk"
	"github.com/imagedrift/imagedrift/internal/vulns/osv"
	"github.com/imagedrift/imagedrift/internal/vulns/osvdb"
	"github.com/imagedrift/imagedrift/internal/vulns/osvtest"
)

// The report names the public API whichever source answered: the golden
// files must not depend on the fake's port or a temporary directory.
var apiLabel = report.VulnSource{Kind: report.VulnSourceAPI, Location: "https://api.osv.dev"}

func offlineDB(t testing.TB) *osvdb.DB {
	t.Helper()
	db, err := osvdb.Open(osvtest.WriteDB(t, t.TempDir()), osvdb.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// runPair analyses the fixture pair with the vulnerability contributor.
func runPair(t *testing.T, src Source, o ContributorOptions, failOn ...string) (*analysis.Result, error) {
	t.Helper()
	base, head := fixturePair()
	return analysis.Run(context.Background(), analysis.Input{Base: base, Head: head, Config: config.Default(),
		FailOn: failOn, Version: "1.0.0-test", Contributors: []analysis.Contributor{Contributor(src, base, head, o)}})
}

func renderAll(t *testing.T, r *report.Report) map[string][]byte {
	t.Helper()
	var txt, js bytes.Buffer
	if err := report.WriteText(&txt, r, report.TextOptions{Limit: -1}); err != nil {
		t.Fatal(err)
	}
	if err := report.WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	return map[string][]byte{
		"pair.txt":  txt.Bytes(),
		"pair.json": js.Bytes(),
		"pair.md":   []byte(report.Markdown(r, report.MarkdownOptions{Key: "shop"})),
	}
}

// TestContributorGolden: the reports of the fixture pair, looked up
// through the fake OSV API, and the same reports from the offline
// database zipped from the same records.
func TestContributorGolden(t *testing.T) {
	server := osvtest.NewServer(t, true)
	o := ContributorOptions{Source: apiLabel, Advisories: []string{"GHSA-r95h-9x8f-r3f7", "CVE-2024-34459", "ghsa-r95h-9x8f-r3f7"}}
	api, err := runPair(t, apiSource(server), o, risk.VulnerabilityIntroduced)
	if err != nil {
		t.Fatal(err)
	}
	if len(api.Warnings) != 0 {
		t.Errorf("warnings %q", api.Warnings)
	}
	got := renderAll(t, api.Report)
	for name, b := range got {
		golden.Check(t, filepath.Join("testdata", name), b)
	}
	offline, err := runPair(t, offlineDB(t), o, risk.VulnerabilityIntroduced)
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range renderAll(t, offline.Report) {
		if diff := cmp.Diff(string(got[name]), string(b)); diff != "" {
			t.Errorf("%s: the API and the offline database differ (-api +offline):\n%s", name, diff)
		}
	}
}

// TestContributorOutcome checks what the golden files show, so that an
// update cannot accept a wrong result unnoticed.
func TestContributorOutcome(t *testing.T) {
	res, err := runPair(t, offlineDB(t), ContributorOptions{Source: apiLabel, Advisories: []string{"GHSA-r95h-9x8f-r3f7", "CVE-2024-34459"}},
		risk.VulnerabilityIntroduced)
	if err != nil {
		t.Fatal(err)
	}
	v := res.Report.Vulnerabilities
	if v == nil {
		t.Fatal("no vulnerabilities in the report")
	}
	reporttest.CheckSchema(t, res.Report)
	if want := (report.VulnTotals{Fixed: 10, Introduced: 3, StillPresent: 3, Evaluated: 14, Skipped: 1}); v.Totals != want {
		t.Errorf("totals %+v, want %+v", v.Totals, want)
	}
	introduced := map[string]string{}
	for _, r := range res.Report.Risks {
		if r.ID == risk.VulnerabilityIntroduced {
			introduced[r.Subject] = string(r.Level)
		}
	}
	want := map[string]string{
		"java:org.apache.logging.log4j:log4j-core": "high", // critical
		"npm:semver":     "medium", // moderate
		"python:urllib3": "medium", // moderate, added
	}
	if diff := cmp.Diff(want, introduced); diff != "" {
		t.Errorf("vulnerability-introduced risks (-want +got):\n%s", diff)
	}
	if !res.Report.Verdict.Failed || !strings.HasPrefix(res.Report.Verdict.Reasons[0], "vulnerability-introduced: 3 risks") {
		t.Errorf("verdict %+v", res.Report.Verdict)
	}
	for _, p := range v.Packages {
		if p.Name == "openssl" && p.OSVBefore != "Debian:9/openssl@1.1.0l-1~deb9u5" {
			t.Errorf("openssl looked up as %q", p.OSVBefore)
		}
	}
	if len(v.Skipped) != 1 || v.Skipped[0].Name != "example.com/tool" {
		t.Errorf("skipped %+v", v.Skipped)
	}
	checks := map[string]string{}
	for _, a := range v.Advisories {
		checks[a.ID] = a.Status
	}
	if diff := cmp.Diff(map[string]string{"GHSA-r95h-9x8f-r3f7": "gone", "CVE-2024-34459": "not-found"}, checks); diff != "" {
		t.Errorf("advisories (-want +got):\n%s", diff)
	}
}

// A policy level for the id replaces the level from the severity.
func TestContributorPolicyLevel(t *testing.T) {
	base, head := fixturePair()
	cfg := config.Default()
	cfg.RiskLevels = map[string]risk.Level{risk.VulnerabilityIntroduced: risk.Low}
	res, err := analysis.Run(context.Background(), analysis.Input{Base: base, Head: head, Config: cfg,
		Contributors: []analysis.Contributor{Contributor(offlineDB(t), base, head, ContributorOptions{})}})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range res.Report.Risks {
		if r.ID == risk.VulnerabilityIntroduced {
			n++
			if r.Level != risk.Low {
				t.Errorf("%s at %s, want the policy's low", r.Subject, r.Level)
			}
		}
	}
	if n != 3 {
		t.Errorf("%d vulnerability-introduced risks, want 3", n)
	}
}

// down is a source that cannot answer.
type down struct{}

func (down) Find(context.Context, []osv.Query) ([]osv.Found, error) {
	return nil, errors.New(`Post "https://api.osv.dev/v1/querybatch": dial tcp: connect: connection refused`)
}

// Without data the run goes on with a warning and says so in the report;
// when the policy names vulnerability-introduced it stops instead.
func TestContributorUnavailable(t *testing.T) {
	res, err := runPair(t, down{}, ContributorOptions{Source: apiLabel, Required: RequiredBy([]string{"high"})}, "high")
	if err != nil {
		t.Fatal(err)
	}
	v := res.Report.Vulnerabilities
	if v == nil || !strings.Contains(v.Unavailable, "connection refused") || strings.HasPrefix(v.Unavailable, "vulnerability data unavailable") {
		t.Fatalf("report %+v", v)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "known vulnerabilities not checked") {
		t.Errorf("warnings %q", res.Warnings)
	}
	if slices.ContainsFunc(res.Report.Risks, func(r risk.Risk) bool { return r.ID == risk.VulnerabilityIntroduced }) {
		t.Error("a vulnerability risk without data")
	}
	reporttest.CheckSchema(t, res.Report)
	md := report.Markdown(res.Report, report.MarkdownOptions{})
	if !strings.Contains(md, "Known vulnerabilities were not checked") {
		t.Errorf("the Markdown does not say so:\n%s", md)
	}

	failOn := []string{"high", risk.VulnerabilityIntroduced}
	_, err = runPair(t, down{}, ContributorOptions{Source: apiLabel, Required: RequiredBy(failOn)}, failOn...)
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "the policy fails on vulnerability-introduced") {
		t.Errorf("Run: %v", err)
	}
}

// The fake API, down mid-run, takes the retries and then the lookup's
// own timeout: the run ends, saying why, rather than waiting for ever.
func TestContributorTimeout(t *testing.T) {
	server := osvtest.NewServer(t, true)
	server.Fail(osvtest.Fault{Endpoint: "querybatch", Hang: time.Minute})
	o := ContributorOptions{Source: apiLabel, Timeout: 200 * time.Millisecond}
	start := time.Now()
	res, err := runPair(t, apiSource(server), o)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v", d)
	}
	if v := res.Report.Vulnerabilities; v == nil || !strings.Contains(v.Unavailable, "deadline") {
		t.Errorf("report %+v", v)
	}
}

// RequestOf takes what OSV keys by from the inventories.
func TestRequestOf(t *testing.T) {
	base, head := fixturePair()
	res, err := analysis.Run(context.Background(), analysis.Input{Base: base, Head: head})
	if err != nil {
		t.Fatal(err)
	}
	req := RequestOf(res.Report, base, head)
	if req.Base.ID != "debian" || req.Head.VersionID != "9" || len(req.Changes) != 15 {
		t.Fatalf("request %+v", req)
	}
	var libssl *Change
	for i := range req.Changes {
		if req.Changes[i].Name == "libssl1.1" {
			libssl = &req.Changes[i]
		}
	}
	if libssl == nil || libssl.Before.Source != "openssl" || libssl.After.Source != "openssl" {
		t.Errorf("libssl1.1: %+v", libssl)
	}
	// Without the inventories the report's names and versions still make
	// a request.
	if req := RequestOf(res.Report, nil, &inventory.Inventory{}); len(req.Changes) != 15 || req.Base.ID != "debian" {
		t.Errorf("request without inventories %+v", req)
	}
}
