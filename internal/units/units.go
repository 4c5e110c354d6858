// Package units formats sizes and growth for people: "1.5 MiB", "+12.3%".
package units

import (
	"fmt"
	"math"
)

// Bytes formats a size with binary units: "1.5 MiB".
func Bytes(n int64) string {
	neg := n < 0
	u := uint64(n)
	if neg {
		u = uint64(-n)
	}
	s := humanBytes(u)
	if neg {
		s = "-" + s
	}
	return s
}

func humanBytes(n uint64) string {
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	units := []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	v := float64(n) / 1024
	i := 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	if v >= 100 {
		return fmt.Sprintf("%.0f %s", v, units[i])
	}
	return fmt.Sprintf("%.1f %s", v, units[i])
}

// Growth is the percent growth from a to b; +Inf when a is 0 and b is not.
func Growth(a, b int64) float64 {
	if a == 0 {
		if b == 0 {
			return 0
		}
		return math.Inf(1)
	}
	return float64(b-a) * 100 / float64(a)
}

// Percent formats the growth from a to b: "+12.3%", "-4.0%", "new".
func Percent(a, b int64) string {
	p := Growth(a, b)
	if math.IsInf(p, 0) {
		return "new"
	}
	return fmt.Sprintf("%+.1f%%", p)
}
