package osv_test

import (
	"testing"

	"github.com/imagedrift/imagedrift/internal/vulns/osv"
	"github.com/imagedrift/imagedrift/internal/vulns/osvtest"
)

// FuzzDecode: any bytes decode to a record with an id or fail; never a
// panic. Seeded with every stored record.
func FuzzDecode(f *testing.F) {
	for _, r := range osvtest.Records(f) {
		f.Add(r.Data)
	}
	f.Add([]byte(`{"id":"X","affected":[{"ranges":[{"type":"NEW","events":[{"introduced":"0"}]}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := osv.Decode(data)
		if err == nil && v.GetId() == "" {
			t.Fatal("decoded a record without id")
		}
	})
}

// FuzzScoreCVSS: any string scores within 0-10 with a rating, or fails.
func FuzzScoreCVSS(f *testing.F) {
	for _, v := range []string{"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:L/SA:N",
		"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:A/CR:H/MAV:A", "CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H/E:F", "AV:N/AC:L/Au:N/C:P/I:P/A:P/E:F"} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		c, err := osv.ScoreCVSS(v)
		if err == nil && (c.Score < 0 || c.Score > 10 || c.Rating == "") {
			t.Fatalf("ScoreCVSS(%q) = %+v", v, c)
		}
	})
}
