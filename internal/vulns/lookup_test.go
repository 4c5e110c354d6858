package vulns

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/vulns/osv"
)

var (
	debian9  = packages.Distro{ID: "debian", VersionID: "9", PrettyName: "Debian GNU/Linux 9 (stretch)"}
	debian12 = packages.Distro{ID: "debian", VersionID: "12", PrettyName: "Debian GNU/Linux 12 (bookworm)"}
	debian13 = packages.Distro{ID: "debian", VersionID: "13", PrettyName: "Debian GNU/Linux 13 (trixie)"}
	alpine18 = packages.Distro{ID: "alpine", VersionID: "3.18.9"}
	alpine19 = packages.Distro{ID: "alpine", VersionID: "3.19.4"}
)

type lookupCase struct {
	name                   string
	base, head             packages.Distro
	change                 Change
	fixed, introd, present []string
}

// lookupCases are the version changes the fixture README lists for each
// real record, with what the change fixes, introduces or leaves.
var lookupCases = []lookupCase{
	{name: "last_affected is inclusive: 3.0.0-beta3 affected",
		change:  Change{Ecosystem: packages.Java, Name: "org.apache.logging.log4j:log4j-core", From: "3.0.0-beta2", To: "3.0.0-beta3"},
		present: []string{"GHSA-3pxv-7cmr-fjr4"}},
	{name: "last_affected: above it unaffected",
		change: Change{Ecosystem: packages.Java, Name: "org.apache.logging.log4j:log4j-core", From: "3.0.0-beta3", To: "3.0.0"},
		fixed:  []string{"GHSA-3pxv-7cmr-fjr4"}},
	{name: "log4j-core 2.12.2 → 2.13.0 introduces CVE-2021-45046",
		change: Change{Ecosystem: packages.Java, Name: "org.apache.logging.log4j:log4j-core", From: "2.12.2", To: "2.13.0"},
		introd: []string{"GHSA-7rjr-3q55-vv33"}, present: []string{"GHSA-3pxv-7cmr-fjr4"}},
	{name: "log4j-core 2.15.0 → 2.16.0",
		change: Change{Ecosystem: packages.Java, Name: "org.apache.logging.log4j:log4j-core", From: "2.15.0", To: "2.16.0"},
		fixed:  []string{"GHSA-7rjr-3q55-vv33"}, present: []string{"GHSA-3pxv-7cmr-fjr4"}},
	{name: "versions list only: gradio 4.36.1 → 4.37.0",
		change: Change{Ecosystem: packages.Python, Name: "gradio", From: "4.36.1", To: "4.37.0"},
		fixed:  []string{"GHSA-9v2f-6vcg-3hgv"}},
	{name: "versions list only: exact match, 4.36.0 → 4.36.1",
		change: Change{Ecosystem: packages.Python, Name: "gradio", From: "4.36.0", To: "4.36.1"},
		introd: []string{"GHSA-9v2f-6vcg-3hgv"}},
	{name: "withdrawn Go record",
		change: Change{Ecosystem: packages.Go, Name: "k8s.io/kubernetes", From: "v1.20.0", To: "v1.21.0"}},
	{name: "withdrawn RustSec record",
		change: Change{Ecosystem: packages.Cargo, Name: "spin", From: "0.5.0", To: "0.5.2"}},
	{name: "several affected entries: Debian 13 fixed",
		base: debian13, head: debian13,
		change: Change{Ecosystem: packages.Dpkg, Name: "musl", From: "1.2.5-1", To: "1.2.5-2"},
		fixed:  []string{"CVE-2025-26519"}},
	{name: "several affected entries: unfixed on Debian 12",
		base: debian12, head: debian12,
		change:  Change{Ecosystem: packages.Dpkg, Name: "musl", From: "1.2.3-3", To: "1.2.5-2"},
		present: []string{"CVE-2025-26519"}},
	{name: "Debian source version with ~",
		base: debian9, head: debian9,
		change: Change{Ecosystem: packages.Dpkg, Name: "libssl1.1", From: "1.1.0l-1~deb9u5", To: "1.1.0l-1~deb9u6",
			Before: Origin{Source: "openssl"}, After: Origin{Source: "openssl"}},
		fixed: []string{"DLA-3008-1"}},
	{name: "Debian letter in upstream version",
		base: debian9, head: debian9,
		change: Change{Ecosystem: packages.Dpkg, Name: "tzdata", From: "2021a-0+deb9u3", To: "2021a-0+deb9u4"},
		fixed:  []string{"DLA-3051-1"}},
	{name: "Alpine v3.18 fix",
		base: alpine18, head: alpine18,
		change: Change{Ecosystem: packages.Apk, Name: "musl", From: "1.2.4-r2", To: "1.2.4-r3"},
		fixed:  []string{"ALPINE-CVE-2025-26519"}},
	{name: "Alpine: the v3.18 fix is not v3.19's",
		base: alpine19, head: alpine19,
		change:  Change{Ecosystem: packages.Apk, Name: "musl-utils", From: "1.2.4-r2", To: "1.2.4-r3", Before: Origin{Source: "musl"}, After: Origin{Source: "musl"}},
		present: []string{"ALPINE-CVE-2025-26519"}},
	{name: "Go pseudo-version lower bound: v1.0.0 → v1.0.1",
		change: Change{Ecosystem: packages.Go, Name: "github.com/opencontainers/runc", From: "v1.0.0", To: "v1.0.1"},
		introd: []string{"GO-2022-0274"}},
	{name: "Go fix",
		change: Change{Ecosystem: packages.Go, Name: "github.com/opencontainers/runc", From: "v1.0.1", To: "v1.1.0"},
		fixed:  []string{"GO-2022-0274"}},
	{name: "Go pseudo-versions",
		change: Change{Ecosystem: packages.Go, Name: "golang.org/x/sys", From: "v0.0.0-20210817142637-7d9622a276b7", To: "v0.0.0-20220412211240-33da011f77ad"},
		fixed:  []string{"GO-2022-0493"}},
	{name: "Go toolchain as stdlib",
		change: Change{Ecosystem: packages.Go, Name: "stdlib", From: "v1.21.2", To: "v1.21.3"},
		fixed:  []string{"GO-2023-2102"}, present: []string{"GO-2024-2887"}},
	{name: "Go stdlib -0 floor: 1.17.10 → 1.18.0",
		change: Change{Ecosystem: packages.Go, Name: "stdlib", From: "v1.17.10", To: "v1.18.0"},
		introd: []string{"GO-2022-0493"}, present: []string{"GO-2023-2102", "GO-2024-2887"}},
	{name: "x/net 0.16.0 → 0.17.0",
		change: Change{Ecosystem: packages.Go, Name: "golang.org/x/net", From: "v0.16.0", To: "v0.17.0"},
		fixed:  []string{"GO-2023-2102"}},
	{name: "npm per-major line fixed",
		change: Change{Ecosystem: packages.Npm, Name: "ws", From: "7.5.9", To: "7.5.10"},
		fixed:  []string{"GHSA-3h5v-q93c-6h6q"}},
	{name: "npm next major line introduces",
		change: Change{Ecosystem: packages.Npm, Name: "semver", From: "6.3.1", To: "7.0.0"},
		introd: []string{"GHSA-c2qf-rxjj-qqgw"}},
	{name: "npm minimist 0.2.4 → 1.0.0",
		change: Change{Ecosystem: packages.Npm, Name: "minimist", From: "0.2.4", To: "1.0.0"},
		introd: []string{"GHSA-xvch-5gv4-984h"}},
	{name: "npm SEMVER range",
		change: Change{Ecosystem: packages.Npm, Name: "ansi-html", From: "0.0.7", To: "0.0.8"},
		fixed:  []string{"GHSA-whgm-jr23-g3j9"}},
	{name: "RubyGems four segments",
		change: Change{Ecosystem: packages.Gem, Name: "rack", From: "2.2.8", To: "2.2.8.1"},
		fixed:  []string{"GHSA-54rr-7fvw-6x8f"}},
	{name: "PyPI aliases counted once",
		change: Change{Ecosystem: packages.Python, Name: "requests", From: "2.30.0", To: "2.31.0"},
		fixed:  []string{"GHSA-j8r2-6x86-q33q"}, present: []string{"GHSA-9wx4-h78v-vm56"}},
	{name: "PyPI GIT range skipped, ECOSYSTEM range decides",
		change: Change{Ecosystem: packages.Python, Name: "urllib3", From: "1.25.8", To: "1.25.9"},
		fixed:  []string{"PYSEC-2020-148"}, present: []string{"GHSA-34jh-p97f-mpxf", "GHSA-g4mx-q9vg-27p4"}},
	{name: "PyPI reintroduced on the next major",
		change: Change{Ecosystem: packages.Python, Name: "urllib3", From: "1.26.19", To: "2.0.0"},
		introd: []string{"GHSA-34jh-p97f-mpxf", "GHSA-g4mx-q9vg-27p4"}},
	{name: "PyPI several pairs in one range",
		change: Change{Ecosystem: packages.Python, Name: "Django", From: "2.2.24", To: "3.0"},
		introd: []string{"PYSEC-2021-98"}},
	{name: "crates.io many fix lines",
		change: Change{Ecosystem: packages.Cargo, Name: "tokio", From: "1.42.0", To: "1.42.1"},
		fixed:  []string{"RUSTSEC-2025-0023"}},
	{name: "crates.io 0.0.0-0 floor",
		change:  Change{Ecosystem: packages.Cargo, Name: "h2", From: "0.3.25", To: "0.4.3"},
		present: []string{"RUSTSEC-2024-0332"}},
	{name: "NuGet",
		change: Change{Ecosystem: packages.Nuget, Name: "Newtonsoft.Json", From: "12.0.3", To: "13.0.1"},
		fixed:  []string{"GHSA-5crp-9r3c-p9vr"}},
	{name: "Packagist repository suffix",
		change: Change{Ecosystem: packages.Composer, Name: "drupal/simple_sitemap", From: "4.2.1", To: "4.2.2"},
		fixed:  []string{"DRUPAL-CONTRIB-2025-083"}},
	{name: "Debian native version",
		base: debian9, head: debian9,
		change: Change{Ecosystem: packages.Dpkg, Name: "dpkg", From: "1.18.25", To: "1.18.26"},
		fixed:  []string{"DLA-3022-1"}},
	{name: "Debian +dfsg and +debNuN",
		base: debian9, head: debian9,
		change: Change{Ecosystem: packages.Dpkg, Name: "libxml2", From: "2.9.4+dfsg1-2.2+deb9u6", To: "2.9.4+dfsg1-2.2+deb9u7"},
		fixed:  []string{"DLA-3012-1"}},
	{name: "Alpine v3.17 as recorded",
		base: packages.Distro{ID: "alpine", VersionID: "3.17.10"}, head: packages.Distro{ID: "alpine", VersionID: "3.17.10"},
		change: Change{Ecosystem: packages.Apk, Name: "musl", From: "1.2.3-r4", To: "1.2.3-r6"},
		fixed:  []string{"ALPINE-CVE-2025-26519"}},
	{name: "Maven junit",
		change: Change{Ecosystem: packages.Java, Name: "junit:junit", From: "4.12", To: "4.13.1"},
		fixed:  []string{"GHSA-269g-pwp5-87pp"}},
	{name: "Packagist two lines",
		change:  Change{Ecosystem: packages.Composer, Name: "league/flysystem", From: "1.1.3", To: "2.0.0"},
		present: []string{"GHSA-9f46-5r25-5wfm"}},
	{name: "RubyGems without alias",
		change: Change{Ecosystem: packages.Gem, Name: "nokogiri", From: "1.16.4", To: "1.16.5"},
		fixed:  []string{"GHSA-r95h-9x8f-r3f7"}},
	{name: "crates.io openssl",
		change: Change{Ecosystem: packages.Cargo, Name: "openssl", From: "0.10.69", To: "0.10.70"},
		fixed:  []string{"RUSTSEC-2025-0004"}},
	{name: "pip as recorded",
		change: Change{Ecosystem: packages.Python, Name: "pip", From: "23.0.1", To: "23.3"},
		fixed:  []string{"GHSA-mq26-g339-26xf"}},
	{name: "Go runc as recorded",
		change:  Change{Ecosystem: packages.Go, Name: "github.com/opencontainers/runc", From: "v1.0.1", To: "v1.0.2"},
		present: []string{"GO-2022-0274"}},
	{name: "removed package: its vulnerabilities leave",
		change: Change{Ecosystem: packages.Python, Name: "pip", From: "23.0.1"},
		fixed:  []string{"GHSA-mq26-g339-26xf"}},
	{name: "added package: its vulnerabilities arrive",
		change: Change{Ecosystem: packages.Python, Name: "setuptools", To: "58.1.0"},
		introd: []string{"GHSA-r9hx-vwmv-q579"}},
}

// TestLookupCases runs the version changes the fixture README lists for
// each real record: what the change fixes, introduces or leaves.
func TestLookupCases(t *testing.T) {
	src := storedRecords(t)
	for _, tt := range lookupCases {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Lookup(context.Background(), src, Request{Base: tt.base, Head: tt.head, Changes: []Change{tt.change}})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Skipped) > 0 {
				t.Fatalf("skipped: %+v", res.Skipped)
			}
			var got PackageResult
			if len(res.Packages) == 1 {
				got = res.Packages[0]
			}
			want := [3][]string{norm(tt.fixed), norm(tt.introd), norm(tt.present)}
			have := [3][]string{ids(got.Fixed), ids(got.Introduced), ids(got.StillPresent)}
			if diff := cmp.Diff(want, have); diff != "" {
				t.Errorf("[fixed introduced still-present] (-want +got):\n%s\nnotes: %v", diff, got.Notes)
			}
		})
	}
}

func norm(s []string) []string {
	if len(s) == 0 {
		return []string{}
	}
	return slices.Sorted(slices.Values(s))
}

// TestLookupAliases: the GHSA and the PYSEC of CVE-2023-32681 are one
// vulnerability, shown by the GHSA id with the others as aliases.
func TestLookupAliases(t *testing.T) {
	res, err := Lookup(context.Background(), storedRecords(t), Request{Changes: []Change{
		{Ecosystem: packages.Python, Name: "requests", From: "2.30.0", To: "2.31.0"}}})
	if err != nil {
		t.Fatal(err)
	}
	v := res.Packages[0].Fixed[0]
	want := Vuln{ID: "GHSA-j8r2-6x86-q33q", Aliases: []string{"CVE-2023-32681", "PYSEC-2023-74"},
		Summary:  "Unintended leak of Proxy-Authorization header in requests",
		Severity: Severity{Level: LevelMedium, Score: 6.1, Vector: "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N", Source: "CVSS_V3"},
		Link:     "https://osv.dev/vulnerability/GHSA-j8r2-6x86-q33q"}
	if diff := cmp.Diff(want, v); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if res.Totals != (Totals{Fixed: 1, StillPresent: 1}) {
		t.Errorf("totals %+v", res.Totals)
	}
}

// TestLookupSeverity reads each kind of severity the records carry.
func TestLookupSeverity(t *testing.T) {
	src := storedRecords(t)
	tests := []struct {
		change Change
		want   Severity
	}{
		{Change{Ecosystem: packages.Java, Name: "org.apache.logging.log4j:log4j-core", From: "3.0.0-beta3", To: "3.0.0"},
			Severity{Level: LevelMedium, Score: 6.9, Vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:L/SA:N", Source: "CVSS_V4"}},
		{Change{Ecosystem: packages.Java, Name: "org.apache.logging.log4j:log4j-core", From: "2.15.0", To: "2.16.1"},
			Severity{Level: LevelCritical, Score: 9, Vector: "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H", Source: "CVSS_V3"}},
		{Change{Ecosystem: packages.Nuget, Name: "Newtonsoft.Json", From: "12.0.3", To: "13.0.1"},
			Severity{Level: LevelLow, Source: "database"}},
		{Change{Ecosystem: packages.Cargo, Name: "tokio", From: "1.42.0", To: "1.42.1"},
			Severity{Level: LevelUnknown}},
	}
	for _, tt := range tests {
		res, err := Lookup(context.Background(), src, Request{Changes: []Change{tt.change}})
		if err != nil {
			t.Fatal(err)
		}
		var got Severity
		for _, v := range res.Packages[0].Fixed {
			if v.Severity.Level.Rank() >= got.Level.Rank() {
				got = v.Severity
			}
		}
		if got != tt.want {
			t.Errorf("%s %s → %s: severity %+v, want %+v", tt.change.Name, tt.change.From, tt.change.To, got, tt.want)
		}
	}
}

// TestLookupDebianUrgency: a Debian entry's urgency is read when nothing
// better exists, and "not yet assigned" says nothing.
func TestLookupDebianUrgency(t *testing.T) {
	res, err := Lookup(context.Background(), storedRecords(t), Request{Base: debian13, Head: debian13,
		Changes: []Change{{Ecosystem: packages.Dpkg, Name: "musl", From: "1.2.5-1", To: "1.2.5-2"}}})
	if err != nil {
		t.Fatal(err)
	}
	if s := res.Packages[0].Fixed[0].Severity; s.Level != LevelUnknown {
		t.Errorf("severity %+v, want unknown for \"not yet assigned\"", s)
	}
}

func TestLookupSkipped(t *testing.T) {
	res, err := Lookup(context.Background(), storedRecords(t), Request{
		Base: packages.Distro{ID: "rhel", VersionID: "9.4"}, Head: packages.Distro{ID: "rhel", VersionID: "9.4"},
		Changes: []Change{
			{Ecosystem: packages.RPM, Name: "bash", From: "5.1.8-6.el9", To: "5.1.8-9.el9"},
			{Ecosystem: packages.Go, Name: "example.com/app", From: "(devel)", To: "v1.0.0"},
			{Ecosystem: packages.Java, Name: "log4j-core", From: "2.14.1", To: "2.17.1"},
			{Ecosystem: "conda", Name: "numpy", From: "1.26.3", To: "1.26.4"},
			{Ecosystem: packages.Python, Name: "requests", From: "2.30.0", To: "2.31.0"},
		}})
	if err != nil {
		t.Fatal(err)
	}
	var reasons []string
	for _, s := range res.Skipped {
		reasons = append(reasons, s.Name+": "+s.Reason)
	}
	for i, want := range []string{"no OSV ecosystem for rpm packages on rhel", "development build", "no Maven groupId", "no OSV ecosystem for conda"} {
		if i >= len(reasons) || !strings.Contains(reasons[i], want) {
			t.Errorf("skipped[%d] = %q, want it to say %q (all: %q)", i, at(reasons, i), want, reasons)
		}
	}
	if len(res.Packages) != 1 || res.Packages[0].Index != 4 || res.Totals.Skipped != 4 {
		t.Errorf("packages %+v totals %+v", res.Packages, res.Totals)
	}
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return ""
}

type failing struct{ err error }

func (f failing) Find(context.Context, []osv.Query) ([]osv.Found, error) { return nil, f.err }

// TestLookupUnavailable: no data is an error, never "no vulnerabilities".
func TestLookupUnavailable(t *testing.T) {
	down := errors.New("dial tcp: connection refused")
	_, err := Lookup(context.Background(), failing{down}, Request{Changes: []Change{
		{Ecosystem: packages.Npm, Name: "ws", From: "7.5.9", To: "7.5.10"}}})
	if !errors.Is(err, ErrUnavailable) || !errors.Is(err, down) {
		t.Fatalf("err = %v, want ErrUnavailable wrapping the cause", err)
	}
	if want := "vulnerability data unavailable: dial tcp: connection refused"; err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}
}

// TestLookupRecordMissing: a record the source could not provide skips
// that change only.
func TestLookupRecordMissing(t *testing.T) {
	src := partial{ok: storedRecords(t), bad: "ws", err: errors.New("OSV record GHSA-3h5v-q93c-6h6q: not found")}
	res, err := Lookup(context.Background(), src, Request{Changes: []Change{
		{Ecosystem: packages.Npm, Name: "ws", From: "7.5.9", To: "7.5.10"},
		{Ecosystem: packages.Npm, Name: "semver", From: "7.5.1", To: "7.5.2"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Skipped) != 1 || res.Skipped[0].Name != "ws" || !strings.Contains(res.Skipped[0].Reason, "not found") {
		t.Errorf("skipped %+v", res.Skipped)
	}
	if len(res.Packages) != 1 || res.Packages[0].Name != "semver" {
		t.Errorf("packages %+v", res.Packages)
	}
}

type partial struct {
	ok  allRecords
	bad string
	err error
}

func (p partial) Find(ctx context.Context, qs []osv.Query) ([]osv.Found, error) {
	out, _ := p.ok.Find(ctx, qs)
	for i, q := range qs {
		if q.Name == p.bad {
			out[i] = osv.Found{Err: p.err}
		}
	}
	return out, nil
}

func TestAdvisory(t *testing.T) {
	res, err := Lookup(context.Background(), storedRecords(t), Request{Changes: []Change{
		{Ecosystem: packages.Python, Name: "requests", From: "2.30.0", To: "2.31.0"},
		{Ecosystem: packages.Java, Name: "org.apache.logging.log4j:log4j-core", From: "2.12.2", To: "2.13.0"}}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id   string
		want AdvisoryStatus
	}{
		{"GHSA-j8r2-6x86-q33q", AdvisoryGone},
		{"cve-2023-32681", AdvisoryGone},
		{"PYSEC-2023-74", AdvisoryGone},
		{"CVE-2024-35195", AdvisoryPresent},
		{"GHSA-7rjr-3q55-vv33", AdvisoryPresent},
		{"GHSA-xvch-5gv4-984h", AdvisoryNotFound},
	}
	for _, tt := range tests {
		if got := res.Advisory(tt.id); got.Status != tt.want || got.Incomplete {
			t.Errorf("Advisory(%s) = %+v, want %s", tt.id, got, tt.want)
		}
	}
}
