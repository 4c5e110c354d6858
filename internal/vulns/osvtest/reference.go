package osvtest

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/osv-scalibr/semantic"
	"github.com/imagedrift/imagedrift/internal/vulns/osv"
	"github.com/ossf/osv-schema/bindings/go/osvschema"
)

// reference answers queries the way the OSV API does, independently of
// the engine under test: versions are ordered by osv-scalibr's semantic
// package (which osv.dev's Go services use), the schema's Evaluation
// pseudocode decides, withdrawn records are left out (the API excludes
// them from query answers) and PyPI names are compared PEP 503-normalised.
type reference struct {
	byEco map[string][]*osvschema.Vulnerability
}

func newReference(tb testing.TB) *reference {
	r := &reference{byEco: map[string][]*osvschema.Vulnerability{}}
	for _, f := range Records(tb) {
		v, err := osv.Decode(f.Data)
		if err != nil {
			tb.Fatal(err)
		}
		r.byEco[f.Ecosystem] = append(r.byEco[f.Ecosystem], v)
	}
	return r
}

var pep503 = regexp.MustCompile(`[-_.]+`)

func refName(eco, name string) string {
	if eco == "PyPI" {
		return strings.ToLower(pep503.ReplaceAllString(name, "-"))
	}
	return name
}

func (r *reference) answer(q osv.Query) []Hit {
	var hits []Hit
	for _, v := range r.byEco[q.Base()] {
		if v.GetWithdrawn() != nil {
			continue
		}
		if slices.ContainsFunc(v.GetAffected(), func(a *osvschema.Affected) bool { return refAffects(a, q) }) {
			hits = append(hits, Hit{ID: v.GetId(), Modified: v.GetModified().AsTime().Format(time.RFC3339Nano)})
		}
	}
	return hits
}

func refAffects(a *osvschema.Affected, q osv.Query) bool {
	p := a.GetPackage()
	if p == nil || refName(q.Base(), p.GetName()) != refName(q.Base(), q.Name) {
		return false
	}
	pb, ps, _ := strings.Cut(p.GetEcosystem(), ":")
	qb, qs, _ := strings.Cut(q.Ecosystem, ":")
	if pb != qb || (ps != "" && qs != "" && ps != qs) {
		return false
	}
	if slices.Contains(a.GetVersions(), q.Version) {
		return true
	}
	v, err := semantic.Parse(q.Version, q.Ecosystem)
	if err != nil {
		return false
	}
	for _, rg := range a.GetRanges() {
		if rg.GetType() == osvschema.Range_GIT {
			continue
		}
		if refInRange(v, rg.GetEvents()) {
			return true
		}
	}
	return false
}

// refInRange walks the events in the order the record gives them, which
// is how osv.dev's exporters write them (ascending); the engine under test
// sorts them itself.
func refInRange(v semantic.Version, events []*osvschema.Event) bool {
	vulnerable := false
	for _, e := range events {
		switch {
		case e.GetIntroduced() != "":
			if c, err := v.CompareStr(e.GetIntroduced()); e.GetIntroduced() == "0" || (err == nil && c >= 0) {
				vulnerable = true
			}
		case e.GetFixed() != "":
			if c, err := v.CompareStr(e.GetFixed()); err == nil && c >= 0 {
				vulnerable = false
			}
		case e.GetLastAffected() != "":
			if c, err := v.CompareStr(e.GetLastAffected()); err == nil && c > 0 {
				vulnerable = false
			}
		}
	}
	return vulnerable
}
