package vulns

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/vulns/osv"
	"github.com/imagedrift/imagedrift/internal/vulns/osvapi"
	"github.com/imagedrift/imagedrift/internal/vulns/osvdb"
	"github.com/imagedrift/imagedrift/internal/vulns/osvtest"
)

func apiSource(s *osvtest.Server) *osvapi.Client {
	return osvapi.New(osvapi.Options{BaseURL: s.URL, Transport: s.Client().Transport,
		Backoff: func(int, time.Duration) time.Duration { return 0 }})
}

// TestSourcesAgree runs every lookup case through the fake OSV API
// (recorded answers kept to their stored records) and through an offline
// database zipped from the same records: the results must be equal. They
// must also classify the same ids as the engine offered every record
// directly; only aliases may differ there, because that source also
// offers CVE-2025-26519 (stored under Debian/ but with Alpine entries) to
// Alpine queries, where it joins ALPINE-CVE-2025-26519.
func TestSourcesAgree(t *testing.T) {
	server := osvtest.NewServer(t, true)
	db, err := osvdb.Open(osvtest.WriteDB(t, t.TempDir()), osvdb.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sources := map[string]Source{"api": apiSource(server), "offline": db, "all": storedRecords(t)}
	for _, tt := range lookupCases {
		req := Request{Base: tt.base, Head: tt.head, Changes: []Change{tt.change}}
		results := map[string]*Result{}
		for name, src := range sources {
			res, err := Lookup(context.Background(), src, req)
			if err != nil {
				t.Fatalf("%s via %s: %v", tt.name, name, err)
			}
			results[name] = res
		}
		if diff := cmp.Diff(results["api"], results["offline"]); diff != "" {
			t.Errorf("%s: (-api +offline):\n%s", tt.name, diff)
		}
		if diff := cmp.Diff(classified(results["all"]), classified(results["offline"])); diff != "" {
			t.Errorf("%s: (-all records +offline):\n%s", tt.name, diff)
		}
	}
}

// TestDebianSourceVersion: bsdutils 1:2.33.1-0.1 is built from util-linux
// 2.33.1-0.1. osv-scanner's recorded queries show OSV finding DLA-3782-1
// for the source version and nothing for the binary's: the lookup must
// ask with the source's. (DLA-3782-1 has no stored body, so the fake
// answers its fetch with the API's 404 and the change is reported as not
// evaluated.)
func TestDebianSourceVersion(t *testing.T) {
	ex := osvtest.LoadExchanges(t, "querybatch.python-3.9-slim-buster-image.debian10-pypi.json")[0]
	results := ex.Results()
	recorded := map[osv.Query]int{}
	for i, q := range ex.Queries() {
		recorded[q] = len(results[i].Vulns)
	}
	binary := osv.Query{Ecosystem: "Debian:10", Name: "util-linux", Version: "1:2.33.1-0.1"}
	source := osv.Query{Ecosystem: "Debian:10", Name: "util-linux", Version: "2.33.1-0.1"}
	if recorded[binary] != 0 || recorded[source] != 1 {
		t.Fatalf("recording changed: %d hits for the binary's version, %d for the source's", recorded[binary], recorded[source])
	}
	server := osvtest.NewServer(t, false)
	debian10 := packages.Distro{ID: "debian", VersionID: "10", PrettyName: "Debian GNU/Linux 10 (buster)"}
	before := packages.Package{Ecosystem: packages.Dpkg, Name: "bsdutils", Version: "1:2.33.1-0.1", Source: "util-linux", SourceVersion: "2.33.1-0.1"}
	after := packages.Package{Ecosystem: packages.Dpkg, Name: "bsdutils", Version: "1:2.33.1-0.1+deb10u1", Source: "util-linux", SourceVersion: "2.33.1-0.1+deb10u1"}
	res, err := Lookup(context.Background(), apiSource(server), Request{Base: debian10, Head: debian10, Changes: []Change{ChangeOf(&before, &after)}})
	if err != nil {
		t.Fatal(err)
	}
	if qs := server.Queries(); !slices.Contains(qs, source) || slices.Contains(qs, binary) {
		t.Errorf("queries sent: %v", qs)
	}
	if len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0].Reason, "fetch OSV record DLA-3782-1") || !strings.Contains(res.Skipped[0].Reason, "404") {
		t.Errorf("skipped: %+v", res.Skipped)
	}
}

// TestAPIUnavailable: with the API unreachable the lookup fails with
// ErrUnavailable; it never reports "no vulnerabilities".
func TestAPIUnavailable(t *testing.T) {
	server := osvtest.NewServer(t, false)
	src := apiSource(server)
	server.Close()
	res, err := Lookup(context.Background(), src, Request{Changes: []Change{{Ecosystem: packages.Npm, Name: "ws", From: "7.5.9", To: "7.5.10"}}})
	if !errors.Is(err, ErrUnavailable) || res != nil {
		t.Fatalf("Lookup = %v, %v", res, err)
	}
	if !strings.HasPrefix(err.Error(), "vulnerability data unavailable: query OSV: Post ") {
		t.Errorf("err = %q", err)
	}
}

// classified is what a result decides: per package, the ids fixed,
// introduced and still present.
func classified(r *Result) [][3][]string {
	var out [][3][]string
	for _, p := range r.Packages {
		out = append(out, [3][]string{ids(p.Fixed), ids(p.Introduced), ids(p.StillPresent)})
	}
	return out
}
