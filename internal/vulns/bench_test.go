package vulns

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/imagedrift/imagedrift/internal/analysis"
	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/vulns/osv"
	"github.com/imagedrift/imagedrift/internal/vulns/osvapi"
	"github.com/imagedrift/imagedrift/internal/vulns/osvcache"
	"github.com/imagedrift/imagedrift/internal/vulns/osvdb"
	"github.com/imagedrift/imagedrift/internal/vulns/osvtest"
)

// benchChanges builds 200 changes of a Debian 9 image from the packages
// osv-scanner's recordings queried (Debian 9 and 10, Ubuntu, PyPI, Go,
// npm), all looked up as Debian 9 packages but the language ones: the
// base has the recorded version, the head a rebuilt one. The fake answers
// the recorded queries as recorded (about one vulnerability per package,
// many without a stored body, fetched all the same), the others by
// evaluating the stored records.
func benchChanges(b *testing.B) []Change {
	seen := map[string]bool{}
	var changes []Change
	for _, name := range []string{"querybatch.sboms.debian9-alpine-go-ubuntu.json", "querybatch.python-3.9-slim-buster-image.debian10-pypi.json", "querybatch.no-vulns.json", "querybatch.ubuntu-22.04-image.json"} {
		for _, q := range osvtest.LoadExchanges(b, name)[0].Queries() {
			var c Change
			switch osv.BaseEcosystem(q.Ecosystem) {
			case "Debian", "Ubuntu":
				c = Change{Ecosystem: packages.Dpkg, Name: q.Name, From: q.Version, To: q.Version + "+b1"}
			case "PyPI":
				c = Change{Ecosystem: packages.Python, Name: q.Name, From: q.Version, To: q.Version + ".post1"}
			case "Go":
				c = Change{Ecosystem: packages.Go, Name: q.Name, From: q.Version, To: q.Version + "+b1"}
			case "npm":
				c = Change{Ecosystem: packages.Npm, Name: q.Name, From: q.Version, To: q.Version + "+b1"}
			default:
				continue
			}
			if key := c.Ecosystem + "/" + c.Name; !seen[key] && len(changes) < 200 {
				seen[key] = true
				changes = append(changes, c)
			}
		}
	}
	if len(changes) != 200 {
		b.Fatalf("%d changes", len(changes))
	}
	return changes
}

// BenchmarkLookup200 is the whole lookup of 200 changed packages against
// a fake OSV API that takes 50 or 100 ms per request, with no record
// cache: one batch request, then every listed record fetched.
func BenchmarkLookup200(b *testing.B) {
	for _, latency := range []time.Duration{50 * time.Millisecond, 100 * time.Millisecond} {
		b.Run(latency.String(), func(b *testing.B) { benchLookup(b, latency) })
	}
}

func benchLookup(b *testing.B, latency time.Duration) {
	server := osvtest.NewServer(b, false)
	server.Latency = latency
	debian9 := packages.Distro{ID: "debian", VersionID: "9"}
	req := Request{Base: debian9, Head: debian9, Changes: benchChanges(b)}
	var res *Result
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		client := osvapi.New(osvapi.Options{BaseURL: server.URL, Transport: server.Client().Transport})
		var err error
		if res, err = Lookup(context.Background(), client, req); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(server.Requests("querybatch"))/float64(b.N), "batches/op")
	b.ReportMetric(float64(server.Requests("vulns"))/float64(b.N), "fetches/op")
	notFound := 0
	for _, s := range res.Skipped {
		if strings.Contains(s.Reason, "404") {
			notFound++
		}
	}
	b.ReportMetric(float64(len(res.Packages)), "affected-pkgs")
	b.ReportMetric(float64(notFound), "unfetchable-pkgs")
}

// BenchmarkPair is the cost the vulnerability lookup adds to a diff of
// the fixture pair (15 package changes, 26 distinct queries): through the
// fake OSV API answering in 50 ms, without and with a warm record cache,
// and through the offline database (opened and indexed in every run, as
// a CLI run does).
func BenchmarkPair(b *testing.B) {
	base, head := fixturePair()
	res, err := analysis.Run(context.Background(), analysis.Input{Base: base, Head: head})
	if err != nil {
		b.Fatal(err)
	}
	req := RequestOf(res.Report, base, head)
	lookup := func(b *testing.B, src Source) {
		if _, err := Lookup(context.Background(), src, req); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("api-50ms", func(b *testing.B) {
		server := osvtest.NewServer(b, true)
		server.Latency = 50 * time.Millisecond
		for i := 0; i < b.N; i++ {
			lookup(b, osvapi.New(osvapi.Options{BaseURL: server.URL, Transport: server.Client().Transport}))
		}
		b.ReportMetric(float64(server.Requests("querybatch")+server.Requests("vulns"))/float64(b.N), "requests/op")
	})
	b.Run("api-50ms-cached", func(b *testing.B) {
		server := osvtest.NewServer(b, true)
		server.Latency = 50 * time.Millisecond
		cache, err := osvcache.Open(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		lookup(b, osvapi.New(osvapi.Options{BaseURL: server.URL, Transport: server.Client().Transport, Cache: cache}))
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			lookup(b, osvapi.New(osvapi.Options{BaseURL: server.URL, Transport: server.Client().Transport, Cache: cache}))
		}
	})
	b.Run("offline", func(b *testing.B) {
		dir := osvtest.WriteDB(b, b.TempDir())
		for i := 0; i < b.N; i++ {
			db, err := osvdb.Open(dir, osvdb.DefaultLimits)
			if err != nil {
				b.Fatal(err)
			}
			lookup(b, db)
			db.Close()
		}
	})
}
