package oneline

import "testing"

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"":                                   "",
		"build head image: exit status 1":    "build head image: exit status 1",
		"  read layer\nsha256:ab\t failed\n": "read layer sha256:ab failed",
		"a\r\n\r\nb":                         "a b",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}
