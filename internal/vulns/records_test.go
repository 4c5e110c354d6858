package vulns

import (
	"context"
	"slices"
	"sort"
	"testing"

	"github.com/imagedrift/imagedrift/internal/vulns/osv"
	"github.com/imagedrift/imagedrift/internal/vulns/osvtest"
	"github.com/ossf/osv-schema/bindings/go/osvschema"
)

// allRecords is a Source that offers every stored record for every
// query: the engine alone must pick the entries of the right package and
// release.
type allRecords []*osvschema.Vulnerability

func (a allRecords) Find(_ context.Context, qs []osv.Query) ([]osv.Found, error) {
	out := make([]osv.Found, len(qs))
	for i := range out {
		out[i].Records = a
	}
	return out, nil
}

func storedRecords(t *testing.T) allRecords {
	t.Helper()
	m := osvtest.Decoded(t)
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var a allRecords
	for _, id := range ids {
		a = append(a, m[id])
	}
	return a
}

func ids(vs []Vuln) []string {
	out := []string{}
	for _, v := range vs {
		out = append(out, v.ID)
	}
	slices.Sort(out)
	return out
}
