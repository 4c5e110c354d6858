package vulns

import (
	"fmt"
	"slices"
	"sort"
	"testing"

	"github.com/google/osv-scalibr/semantic"
	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/vulns/osv"
	"github.com/imagedrift/imagedrift/internal/vulns/osvtest"
	"github.com/ossf/osv-schema/bindings/go/osvschema"
)

// ecosystemOf maps an OSV base ecosystem to the imagedrift ecosystem whose
// ordering evaluates it.
var ecosystemOf = map[string]string{
	"Debian": packages.Dpkg, "Ubuntu": packages.Dpkg, "Alpine": packages.Apk, "AlmaLinux": packages.RPM,
	"Rocky Linux": packages.RPM, "PyPI": packages.Python, "npm": packages.Npm, "Go": packages.Go,
	"Maven": packages.Java, "RubyGems": packages.Gem, "Packagist": packages.Composer,
	"crates.io": packages.Cargo, "NuGet": packages.Nuget,
}

// versionSets gathers, per affected entry of every stored record, the
// versions its versions list and its ECOSYSTEM and SEMVER ranges name.
func versionSets(t *testing.T) []versionSet {
	var sets []versionSet
	for _, f := range osvtest.Records(t) {
		rec, err := osv.Decode(f.Data)
		if err != nil {
			t.Fatal(err)
		}
		for i, a := range rec.GetAffected() {
			eco := a.GetPackage().GetEcosystem()
			ours, ok := ecosystemOf[osv.BaseEcosystem(eco)]
			if !ok {
				continue
			}
			seen := map[string]bool{}
			var vs []string
			add := func(v string) {
				if v != "" && v != "0" && v != "*" && !seen[v] {
					seen[v] = true
					vs = append(vs, v)
				}
			}
			for _, v := range a.GetVersions() {
				add(v)
			}
			for _, r := range a.GetRanges() {
				if r.GetType() == osvschema.Range_GIT {
					continue
				}
				for _, e := range r.GetEvents() {
					add(e.GetIntroduced())
					add(e.GetFixed())
					add(e.GetLastAffected())
					add(e.GetLimit())
				}
			}
			sets = append(sets, versionSet{where: fmt.Sprintf("%s affected[%d] %s", rec.GetId(), i, eco), osvEco: eco, ours: ours, versions: vs})
		}
	}
	return sets
}

// queriedVersions gathers, per base ecosystem, the versions that
// osv-scanner sent in the recorded batch queries (real installed
// versions of Debian, Ubuntu, Alpine, PyPI, Go and npm packages).
func queriedVersions(t *testing.T) []versionSet {
	byEco := map[string]*versionSet{}
	var order []string
	for _, name := range osvtest.Recordings(t) {
		for _, ex := range osvtest.LoadExchanges(t, name) {
			for _, q := range ex.Queries() {
				base := osv.BaseEcosystem(q.Ecosystem)
				ours, ok := ecosystemOf[base]
				if !ok || q.Version == "" {
					continue
				}
				s := byEco[base]
				if s == nil {
					s = &versionSet{where: "recorded " + base + " queries", osvEco: base, ours: ours}
					byEco[base] = s
					order = append(order, base)
				}
				if !slices.Contains(s.versions, q.Version) {
					s.versions = append(s.versions, q.Version)
				}
			}
		}
	}
	var out []versionSet
	for _, b := range order {
		out = append(out, *byEco[b])
	}
	return out
}

type versionSet struct {
	where        string
	osvEco, ours string
	versions     []string
}

// TestOrderingAgainstSemantic compares, on every pair of versions each
// stored record names and every pair of versions the recorded queries
// sent within one ecosystem, packages.Compare with osv-scalibr's semantic
// package (the comparator osv.dev and osv-scanner use). The pairs where
// they disagree are listed below with the side that is right; any other
// disagreement fails the test.
func TestOrderingAgainstSemantic(t *testing.T) {
	known := map[[2]string]string{}
	for _, k := range knownDisagreements {
		known[[2]string{k.a, k.b}] = k.why
		known[[2]string{k.b, k.a}] = k.why
	}
	pairs, unparsed := 0, 0
	reported := map[[2]string]bool{}
	for _, s := range append(versionSets(t), queriedVersions(t)...) {
		r := packages.Rules(s.ours)
		for i, a := range s.versions {
			sa, err := semantic.Parse(a, s.osvEco)
			if err != nil {
				t.Errorf("%s: semantic cannot parse %q: %v", s.where, a, err)
				continue
			}
			if _, err := r.Compare(a, a); err != nil {
				unparsed++
				t.Errorf("%s: %s ordering rejects %q: %v", s.where, s.ours, a, err)
				continue
			}
			for _, b := range s.versions[i+1:] {
				ours, err := r.Compare(a, b)
				if err != nil {
					continue // b is reported on its own
				}
				theirs, err := sa.CompareStr(b)
				if err != nil {
					continue
				}
				pairs++
				if ours == theirs {
					continue
				}
				key := [2]string{a, b}
				if why, ok := known[key]; ok {
					if !reported[key] {
						t.Logf("%s: %q vs %q: ours %d, semantic %d: %s", s.where, a, b, ours, theirs, why)
						reported[key] = true
					}
					continue
				}
				t.Errorf("%s: %q vs %q: ours %d, semantic %d", s.where, a, b, ours, theirs)
			}
		}
	}
	t.Logf("%d pairs compared, %d versions our ordering rejects", pairs, unparsed)
	if pairs == 0 {
		t.Fatal("no pairs compared")
	}
}

var knownDisagreements = []struct{ a, b, why string }{}

// TestVersionsListsAgainstRanges: osv.dev fills an entry's versions list
// by enumerating the ecosystem's releases inside its ranges, so our
// evaluation of those ranges must find every listed version affected;
// entries with a GIT range are left out (their list is the union with
// the repository's tags).
func TestVersionsListsAgainstRanges(t *testing.T) {
	checked := 0
	for _, f := range osvtest.Records(t) {
		rec, err := osv.Decode(f.Data)
		if err != nil {
			t.Fatal(err)
		}
		for i, a := range rec.GetAffected() {
			ours, ok := ecosystemOf[osv.BaseEcosystem(a.GetPackage().GetEcosystem())]
			if !ok || len(a.GetRanges()) == 0 || hasGit(a) {
				continue
			}
			r := packages.Rules(ours)
			var outside []string
			for _, v := range a.GetVersions() {
				in := false
				for _, rg := range a.GetRanges() {
					ok, _, err := inRange(v, rg.GetEvents(), r)
					if err != nil {
						t.Errorf("%s affected[%d]: %v", rec.GetId(), i, err)
					}
					in = in || ok
				}
				checked++
				if !in {
					outside = append(outside, v)
				}
			}
			sort.Strings(outside)
			if len(outside) > 0 {
				t.Errorf("%s affected[%d] %s: listed but outside the ranges by our ordering: %q", rec.GetId(), i, a.GetPackage().GetEcosystem(), outside)
			}
		}
	}
	t.Logf("%d listed versions checked against their ranges", checked)
}

func hasGit(a *osvschema.Affected) bool {
	for _, r := range a.GetRanges() {
		if r.GetType() == osvschema.Range_GIT {
			return true
		}
	}
	return false
}
