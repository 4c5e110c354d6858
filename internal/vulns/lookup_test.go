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

// TestLookupCases runs the version changes each stored record was chosen
// to exercise: what the change fixes, introduces or leaves.
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
	if res.Totals != (Totals{Fixed: 1, StillPresent: 1, Evaluated: 1}) {
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
	if len(res.Packages) != 1 || res.Packages[0].Index != 4 || res.Totals.Skipped != 4 || res.Totals.Evaluated != 1 {
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

// claiming offers the stored records as an API would, claiming that
// every record affects every queried version.
type claiming struct{ allRecords }

func (c claiming) Find(ctx context.Context, qs []osv.Query) ([]osv.Found, error) {
	out, err := c.allRecords.Find(ctx, qs)
	for i := range out {
		out[i].Claimed = true
	}
	return out, err
}

// TestLookupDisputed: when the source says a record affects a version
// the ordering puts outside it, the ordering decides and a note says so.
func TestLookupDisputed(t *testing.T) {
	res, err := Lookup(context.Background(), claiming{storedRecords(t)}, Request{Changes: []Change{
		{Ecosystem: packages.Python, Name: "requests", From: "2.30.0", To: "2.31.0"}}})
	if err != nil {
		t.Fatal(err)
	}
	p := res.Packages[0]
	if ids(p.Fixed)[0] != "GHSA-j8r2-6x86-q33q" {
		t.Fatalf("fixed %v", ids(p.Fixed))
	}
	want := "GHSA-j8r2-6x86-q33q: OSV lists it for PyPI/requests@2.31.0, but by python ordering the version is not affected"
	if !slices.Contains(p.Notes, want) {
		t.Errorf("notes %q, want %q among them", p.Notes, want)
	}
}
