package botpr

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Only whole GHSA and CVE ids count, in their strict forms, each once,
// written as their databases write them.
func TestAdvisories(t *testing.T) {
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"Fixes GHSA-r95h-9x8f-r3f7 and cve-2024-34459.", []string{"GHSA-r95h-9x8f-r3f7", "CVE-2024-34459"}},
		{`<a href="https://github.com/x/y/security/advisories/GHSA-CG3Q-J54F-5P7P"><code>CVE-2022-21698</code></a>`,
			[]string{"GHSA-cg3q-j54f-5p7p", "CVE-2022-21698"}},
		{"CVE-2022-21698 CVE-2022-21698,CVE-2022-32149", []string{"CVE-2022-21698", "CVE-2022-32149"}},
		// Look-alike letters are not in GitHub's alphabet; a longer token
		// is not an id; five-digit years and three-digit numbers are not CVEs.
		{"GHSA-r95h-9x8f-r3fl GHSA-r95h-9x8f-r3f7x xGHSA-r95h-9x8f-r3f7 CVE-20244-34459 CVE-2024-344 CVE-2024-12345678", nil},
		{"MY-CVE-2024-34459 CVE-2024-34459-extra", nil},
		{"", nil},
	} {
		if diff := cmp.Diff(tt.want, advisories(tt.text)); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.text, diff)
		}
	}
	var many strings.Builder
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&many, "CVE-2024-%05d ", i)
	}
	if got := advisories(many.String()); len(got) != maxAdvisories || got[0] != "CVE-2024-00000" {
		t.Errorf("%d advisories kept, first %q", len(got), got[0])
	}
	if got := KeepAdvisories([]string{"ghsa-r95h-9x8f-r3f7", "<script>", "CVE-2024-34459"}); !cmp.Equal(got, []string{"GHSA-r95h-9x8f-r3f7", "CVE-2024-34459"}) {
		t.Errorf("KeepAdvisories: %q", got)
	}
}

// The title, the commit message and the body all count, in that order.
func TestParseAdvisories(t *testing.T) {
	d := Parse(Dependabot, "Bump nokogiri from 1.16.4 to 1.16.5 (GHSA-r95h-9x8f-r3f7)",
		"Bumps nokogiri. Fixes CVE-2024-34459.", "See CVE-2024-34459 and CVE-2023-22794.")
	if diff := cmp.Diff([]string{"GHSA-r95h-9x8f-r3f7", "CVE-2024-34459", "CVE-2023-22794"}, d.Advisories); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
