package action

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/imagedrift/imagedrift/internal/build/buildtest"
	"github.com/imagedrift/imagedrift/internal/fixtures"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/report"
	"github.com/imagedrift/imagedrift/internal/risk"
	"github.com/imagedrift/imagedrift/internal/vulns"
	"github.com/imagedrift/imagedrift/internal/vulns/osvapi"
	"github.com/imagedrift/imagedrift/internal/vulns/osvtest"
)

// vulnSources makes sources as the program's entry does, on a fake OSV
// API at url, and counts what it was asked for.
type vulnSources struct {
	url   string
	asked []vulns.SourceOptions
}

func (v *vulnSources) open(o vulns.SourceOptions) (*vulns.Opened, error) {
	v.asked = append(v.asked, o)
	c := osvapi.New(osvapi.Options{BaseURL: v.url, Backoff: func(int, time.Duration) time.Duration { return 0 }})
	return &vulns.Opened{Source: c, Info: report.VulnSource{Kind: report.VulnSourceAPI, Location: "https://api.osv.dev"}}, nil
}

func gemPackage(name, version string) packages.Package {
	return packages.Package{Ecosystem: packages.Gem, Name: name, Version: version,
		Location: "/usr/local/bundle/specifications/" + name + "-" + version + ".gemspec"}
}

// securityPR is Dependabot's recorded security update of nokogiri (its
// pull request in hyperledger/fabric-protos: the body cites
// GHSA-r95h-9x8f-r3f7, which nokogiri 1.16.5 fixes, with CVE-2024-34459
// and activesupport's CVE-2023-22794), made into a checkout and a
// pull_request event the way dependabotPR makes express's, and the images
// of the docs site it updates.
func securityPR(t *testing.T) (*buildtest.Repo, []byte, string, *fakeImages) {
	body, err := os.ReadFile(filepath.Join(fixtures.Shared(t, "fixtures", "github", "bots", "dependabot"),
		"hyperledger.fabric-protos-223.grouped-bundler-across-1-directory.pr-body.txt"))
	if err != nil {
		t.Fatal(err)
	}
	const title = "Bump the bundler group across 1 directory with 2 updates"
	repo := buildtest.NewRepo(t)
	repo.Write(map[string]string{"Dockerfile": "FROM ruby:3.3-slim@sha256:" + strings.Repeat("b", 64) + "\nCOPY docs /docs\n"})
	base := repo.Commit("base")
	repo.Write(map[string]string{"docs/Gemfile.lock": "GEM\n"})
	head := repo.Commit(title + "\n\n" + string(body))
	b := dependabotEvent(t, 7, title, "dependabot/bundler/docs/bundler-8bb6ea6c5a", base, head,
		func(pr map[string]any) { pr["body"] = string(body) })
	images := &fakeImages{t: t,
		base: &inventory.Inventory{Digest: "sha256:" + strings.Repeat("1", 64),
			Packages: []packages.Package{gemPackage("activesupport", "6.0.4.7"), gemPackage("nokogiri", "1.16.2")}},
		head: &inventory.Inventory{Digest: "sha256:" + strings.Repeat("2", 64),
			Packages: []packages.Package{gemPackage("activesupport", "6.0.6.1"), gemPackage("nokogiri", "1.16.5")}}}
	return repo, b, head, images
}

// A Dependabot security update: the report says the advisory it names is
// gone from the image, the outputs count what the change fixes, and the
// comment phase shows it all from report.json without looking anything
// up again.
func TestVulnerabilitiesSecurityUpdate(t *testing.T) {
	server := osvtest.NewServer(t, true)
	repo, ev, head, images := securityPR(t)
	env := newRunnerEnv(t, repo.Dir, "pull_request")
	env.setEventFile(ev)
	env.input("mode", "report")
	env.input("report-dir", "imagedrift-report")
	o := env.options()
	images.install(&o)
	src := &vulnSources{url: server.URL}
	o.NewVulnSource = src.open
	if err := Run(context.Background(), o); err != nil {
		t.Fatalf("Run: %v\n%s", err, env.stdout.String())
	}
	if len(src.asked) != 1 || src.asked[0] != (vulns.SourceOptions{}) {
		t.Errorf("sources asked for: %+v", src.asked)
	}
	dir := filepath.Join(repo.Dir, "imagedrift-report")
	var rep report.Report
	readJSON(t, filepath.Join(dir, reportJSON), &rep)
	v := rep.Vulnerabilities
	if v == nil {
		t.Fatal("no vulnerabilities in report.json")
	}
	want := []report.AdvisoryCheck{
		{ID: "CVE-2023-22794", Status: report.AdvisoryNotFound, Fixed: []string{}, Present: []string{}},
		{ID: "CVE-2024-34459", Status: report.AdvisoryNotFound, Fixed: []string{}, Present: []string{}},
		{ID: "GHSA-r95h-9x8f-r3f7", Status: report.AdvisoryGone, Fixed: []string{"nokogiri 1.16.2 → 1.16.5"}, Present: []string{}},
	}
	if diff := cmp.Diff(want, v.Advisories); diff != "" {
		t.Errorf("advisories (-want +got):\n%s", diff)
	}
	if got := env.outputs(); got["vulnerabilities-fixed"] != "1" || got["vulnerabilities-introduced"] != "0" {
		t.Errorf("outputs %v", got)
	}
	md, err := os.ReadFile(filepath.Join(dir, reportMD))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"fixes 1 known vulnerability", "#### Advisories the pull request names",
		"| GHSA-r95h-9x8f-r3f7 | ✅ gone | fixed by nokogiri 1.16.2 → 1.16.5 |", "<details><summary><b>Known vulnerabilities</b>"} {
		if !strings.Contains(string(md), s) {
			t.Errorf("the Markdown lacks %q:\n%s", s, md)
		}
	}

	t.Run("comment phase", func(t *testing.T) {
		cenv := newRunnerEnv(t, t.TempDir(), "workflow_run")
		cenv.setEventFile(workflowRunEvent(t, head, 7))
		cenv.input("mode", "comment")
		cenv.input("report-dir", dir)
		co := cenv.options()
		co.NewVulnSource = func(vulns.SourceOptions) (*vulns.Opened, error) {
			t.Error("the comment phase looked vulnerabilities up")
			return nil, errors.New("no")
		}
		srv := fakeGitHub(t, cenv, &co, head)
		if err := Run(context.Background(), co); err != nil {
			t.Fatal(err)
		}
		comments := srv.Comments(testRepo, 7)
		if len(comments) != 1 || !strings.Contains(comments[0].Body, "| GHSA-r95h-9x8f-r3f7 | ✅ gone |") {
			t.Errorf("comments %+v", comments)
		}
		if got := cenv.outputs(); got["vulnerabilities-fixed"] != "1" || got["vulnerabilities-introduced"] != "0" {
			t.Errorf("outputs %v", got)
		}
	})
}

// With the OSV API down the run goes on with a warning, outputs that say
// nothing, and a report that says why; a policy that fails on
// vulnerability-introduced fails the run instead (exit 2, not 1); a policy
// that needs the data in a run told not to look it up is an input error.
func TestVulnerabilitiesUnavailable(t *testing.T) {
	server := osvtest.NewServer(t, false)
	dead := server.URL
	server.Close()
	for _, tt := range []struct {
		name, failOn, vulnerabilities string
		wantErr                       string
	}{
		{"warning", "high", "", ""},
		{"required", "vulnerability-introduced", "", "vulnerability data unavailable"},
		{"turned off", "vulnerability-introduced", "false", "input vulnerabilities: the policy fails on vulnerability-introduced"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ws := t.TempDir()
			env := newRunnerEnv(t, ws, "push")
			env.input("base-ref", baseSHA)
			env.input("fail-on", tt.failOn)
			env.input("vulnerabilities", tt.vulnerabilities)
			o := env.options()
			f := &fakeImages{t: t,
				base: &inventory.Inventory{Packages: []packages.Package{gemPackage("nokogiri", "1.16.2")}},
				head: &inventory.Inventory{Packages: []packages.Package{gemPackage("nokogiri", "1.16.5")}}}
			f.install(&o)
			o.NewVulnSource = (&vulnSources{url: dead}).open
			err := Run(context.Background(), o)
			out := env.stdout.String()
			if tt.wantErr != "" {
				if err == nil || errors.Is(err, risk.ErrPolicyFailed) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Run: %v, want %q", err, tt.wantErr)
				}
				if !strings.Contains(out, "::error::imagedrift: ") {
					t.Errorf("no error annotation:\n%s", out)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out, "::warning::imagedrift: known vulnerabilities not checked, the data is unavailable: query OSV: ") {
				t.Errorf("no warning annotation:\n%s", out)
			}
			got := env.outputs()
			if got["vulnerabilities-fixed"] != "" || got["vulnerabilities-introduced"] != "" {
				t.Errorf("outputs %v: want them empty without data", got)
			}
			var rep report.Report
			readJSON(t, got["report"], &rep)
			if rep.Vulnerabilities == nil || !strings.Contains(rep.Vulnerabilities.Unavailable, "connection refused") {
				t.Errorf("report.json: %+v", rep.Vulnerabilities)
			}
		})
	}
}

// The inputs: on by default, off when false, the database's path taken
// relative to the workspace; without a way to make a source (the seam
// unset) nothing is looked up.
func TestVulnerabilitiesInputs(t *testing.T) {
	for _, tt := range []struct {
		name, vulnerabilities, db string
		want                      []vulns.SourceOptions
	}{
		{"default", "", "", []vulns.SourceOptions{{}}},
		{"off", "false", "", nil},
		{"offline", "", "osv-db", []vulns.SourceOptions{{DB: "WS/osv-db"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ws := t.TempDir()
			env := newRunnerEnv(t, ws, "push")
			env.input("base-ref", baseSHA)
			env.input("vulnerabilities", tt.vulnerabilities)
			env.input("vulnerabilities-db", tt.db)
			o := env.options()
			npmImages(t).install(&o)
			src := &vulnSources{url: "http://127.0.0.1:1"}
			o.NewVulnSource = func(so vulns.SourceOptions) (*vulns.Opened, error) {
				so.DB = strings.Replace(so.DB, ws, "WS", 1)
				src.asked = append(src.asked, so)
				return nil, errors.New("not made in this test")
			}
			err := Run(context.Background(), o)
			if diff := cmp.Diff(tt.want, src.asked); diff != "" {
				t.Errorf("sources asked for (-want +got):\n%s", diff)
			}
			if (err != nil) != (len(tt.want) > 0) {
				t.Errorf("Run: %v", err)
			}
			if tt.db != "" && (err == nil || !strings.HasPrefix(err.Error(), "input vulnerabilities-db: ")) {
				t.Errorf("Run: %v, want the input named", err)
			}
		})
	}
	env := newRunnerEnv(t, t.TempDir(), "push")
	env.input("vulnerabilities", "maybe")
	if err := Run(context.Background(), env.options()); err == nil || !strings.Contains(err.Error(), `input vulnerabilities: "maybe" is not true or false`) {
		t.Errorf("Run: %v", err)
	}
}
