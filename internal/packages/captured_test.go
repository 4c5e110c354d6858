package packages

import "testing"

func TestCapturedData(t *testing.T) {
	big := Capture(4)
	big.Write([]byte("0123456789"))
	truncated, _ := big.Result()
	whole := Capture(16)
	whole.Write([]byte("{}"))
	complete, _ := whole.Result()
	tests := []struct {
		name string
		data any
		want string // the content, or the error
	}{
		{"whole", complete, "{}"},
		{"truncated", truncated, "error: f.json is 10 bytes, larger than the 4-byte cap; not parsed"},
		{"nothing", nil, "error: no content captured (got <nil>)"},
		{"nil capture", (*Captured)(nil), "error: no content captured (got *packages.Captured)"},
		{"other extractor's value", "x", "error: no content captured (got string)"},
	}
	for _, tt := range tests {
		b, err := CapturedData(tt.data, "f.json", 4)
		got := string(b)
		if err != nil {
			got = "error: " + err.Error()
		}
		if got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}
