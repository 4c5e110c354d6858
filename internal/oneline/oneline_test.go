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

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"bump openssl":         "bump openssl",
		"a\nb\tc\x7fd\x1b[31m": "a b c d [31m",
		"caf\xc3":              "caf\uFFFD",
		"  two  spaces ":       "  two  spaces ",
	} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCap(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 5, "abc"},
		{"abc", 2, "ab"},
		{"é", 1, ""}, // never half a rune
		{"aé", 2, "a"},
		{"aé", 3, "aé"},
		{"日本", 4, "日"},
	} {
		if got := Cap(tt.in, tt.n); got != tt.want {
			t.Errorf("Cap(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
