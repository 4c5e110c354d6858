package osv_test

import (
	"errors"
	"testing"

	"github.com/imagedrift/imagedrift/internal/vulns/osv"
)

// TestScoreCVSS scores the vectors of the stored records; the expected
// scores are those the FIRST calculators give for them.
func TestScoreCVSS(t *testing.T) {
	tests := []struct {
		vector string
		want   osv.CVSS
	}{
		{"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H", osv.CVSS{Version: "3.1", Score: 9.0, Rating: "critical"}},                  // GHSA-7rjr-3q55-vv33
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", osv.CVSS{Version: "3.1", Score: 7.5, Rating: "high"}},                      // GHSA-r9hx-vwmv-q579
		{"CVSS:3.1/AV:L/AC:H/PR:L/UI:R/S:U/C:H/I:N/A:N", osv.CVSS{Version: "3.1", Score: 4.4, Rating: "medium"}},                    // GHSA-269g-pwp5-87pp
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L", osv.CVSS{Version: "3.1", Score: 5.3, Rating: "medium"}},                    // GHSA-c2qf-rxjj-qqgw
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:L/SA:N", osv.CVSS{Version: "4.0", Score: 6.9, Rating: "medium"}}, // GHSA-3pxv-7cmr-fjr4
		{"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", osv.CVSS{Version: "3.0", Score: 9.8, Rating: "critical"}},
		{"AV:N/AC:L/Au:N/C:P/I:P/A:P", osv.CVSS{Version: "2.0", Score: 7.5, Rating: "high"}},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", osv.CVSS{Version: "3.1", Score: 0, Rating: "none"}},
	}
	for _, tt := range tests {
		got, err := osv.ScoreCVSS(tt.vector)
		if err != nil || got != tt.want {
			t.Errorf("ScoreCVSS(%s) = %+v, %v; want %+v", tt.vector, got, err, tt.want)
		}
	}
}

func TestScoreCVSSRefuses(t *testing.T) {
	for _, v := range []string{"", "CVSS:3.1/AV:N", "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", "CVSS:5.0/AV:N", "medium", "CVSS:4.0/AV:N/AC:L"} {
		if c, err := osv.ScoreCVSS(v); !errors.Is(err, osv.ErrVector) {
			t.Errorf("ScoreCVSS(%q) = %+v, %v; want ErrVector", v, c, err)
		}
	}
}
