package units

import "testing"

func TestBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 1536: "1.5 KiB",
		150 << 20: "150 MiB", -(3 << 30): "-3.0 GiB"} {
		if got := Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestPercent(t *testing.T) {
	for _, c := range []struct {
		a, b int64
		want string
	}{{100, 112, "+12.0%"}, {100, 96, "-4.0%"}, {0, 5, "new"}, {0, 0, "+0.0%"}} {
		if got := Percent(c.a, c.b); got != c.want {
			t.Errorf("Percent(%d, %d) = %q, want %q", c.a, c.b, got, c.want)
		}
	}
}
