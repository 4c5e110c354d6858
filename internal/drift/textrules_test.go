package drift

import (
	"bytes"
	"testing"
)

func TestOnlyTimesDiffer(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want bool
	}{
		{"date(1)", "Sat Nov 30 02:26:14 UTC 2026\n", "Sat Nov 30 02:26:16 UTC 2026\n", true},
		{"date(1) across midnight", "Sat Nov 30 23:59:59 UTC 2026\n", "Sun Dec 1 00:00:01 UTC 2026\n", true},
		{"RFC 3339", `{"built":"2026-11-30T02:26:14Z","v":1}`, `{"built":"2026-11-30T02:26:16.123Z","v":1}`, true},
		{"RFC 1123", "Date: Sat, 30 Nov 2026 02:26:14 GMT", "Date: Sat, 30 Nov 2026 02:27:01 GMT", true},
		{"Unix seconds", "BUILD_TIME=1764469574\n", "BUILD_TIME=1764469577\n", true},
		{"Unix nanoseconds", "1764469574123456789", "1764469577000000001", true},
		{"same content", "a 2026-11-30\n", "a 2026-11-30\n", false},
		{"other content", "version=1\n", "version=2\n", false},
		{"a date and more", "2026-11-30 v1\n", "2026-11-30 v2\n", false},
		{"a key is no date", "-----BEGIN PRIVATE KEY-----\nMC4CAQ\n", "-----BEGIN PRIVATE KEY-----\nMC4CAR\n", false},
	}
	for _, tt := range tests {
		if got := onlyTimesDiffer([]byte(tt.a), []byte(tt.b)); got != tt.want {
			t.Errorf("%s: onlyTimesDiffer(%q, %q) = %v, want %v", tt.name, tt.a, tt.b, got, tt.want)
		}
	}
}

func TestLooksLikePrivateKey(t *testing.T) {
	for _, s := range []string{
		"-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n",
		"-----BEGIN PRIVATE KEY-----\n",
		"-----BEGIN RSA PRIVATE KEY-----\n",
		"-----BEGIN EC PRIVATE KEY-----\n",
		"-----BEGIN ENCRYPTED PRIVATE KEY-----\n",
		"PuTTY-User-Key-File-3: ssh-ed25519\n",
	} {
		if !looksLikePrivateKey([]byte(s)) {
			t.Errorf("%q not seen as a private key", s)
		}
	}
	for _, s := range []string{"-----BEGIN CERTIFICATE-----\n", "-----BEGIN PUBLIC KEY-----\n", "ssh-ed25519 AAAA host\n", ""} {
		if looksLikePrivateKey([]byte(s)) {
			t.Errorf("%q seen as a private key", s)
		}
	}
}

// File content comes from images: the matchers must not panic, must be
// symmetric, and must never call equal content a difference.
func FuzzOnlyTimesDiffer(f *testing.F) {
	f.Add([]byte("Sat Nov 30 02:26:14 UTC 2026\n"), []byte("Sat Nov 30 02:26:16 UTC 2026\n"))
	f.Add([]byte("2026-11-30T02:26:14Z 1764469574"), []byte("-----BEGIN PRIVATE KEY-----"))
	f.Add([]byte{0, 0xff, '1'}, []byte{})
	f.Fuzz(func(t *testing.T, a, b []byte) {
		if len(a) > MaxSample || len(b) > MaxSample {
			return
		}
		got := onlyTimesDiffer(a, b)
		if got != onlyTimesDiffer(b, a) {
			t.Fatalf("not symmetric for %q, %q", a, b)
		}
		if got && bytes.Equal(a, b) {
			t.Fatalf("equal content %q reported as differing", a)
		}
		if onlyTimesDiffer(a, a) {
			t.Fatalf("%q differs from itself", a)
		}
		looksLikePrivateKey(a)
	})
}
