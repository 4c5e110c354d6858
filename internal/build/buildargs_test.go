package build

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestParseBuildArgs(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string
		wantErr string // substring; the error must not contain the value
	}{
		{name: "empty", in: "", want: nil},
		{name: "action input with blank lines, CRLF and comments",
			in:   "  NODE_VERSION=20.11.1\r\n\r\n# pinned for reproducible builds\nBUILD_DATE=2024-03-01T00:00:00Z\n",
			want: []string{"NODE_VERSION=20.11.1", "BUILD_DATE=2024-03-01T00:00:00Z"}},
		{name: "value keeps '=' and spaces inside",
			in:   "JAVA_OPTS=-Xmx512m -Dfile.encoding=UTF-8\nEMPTY=\n_PRIVATE=x",
			want: []string{"JAVA_OPTS=-Xmx512m -Dfile.encoding=UTF-8", "EMPTY=", "_PRIVATE=x"}},
		{name: "no equals sign", in: "A=1\nghp_abcdefSECRET", wantErr: "line 2: expected KEY=VALUE"},
		{name: "key with a dash", in: "A=1\n\nnode-version=20", wantErr: `line 3: invalid name "node-version"`},
		{name: "key starts with a digit", in: "1A=x", wantErr: `line 1: invalid name "1A"`},
		{name: "space before equals", in: "KEY =SECRETVALUE", wantErr: `line 1: invalid name "KEY "`},
		{name: "empty key", in: "=SECRETVALUE", wantErr: `line 1: invalid name ""`},
		{name: "option injection", in: "--network=host", wantErr: `invalid name "--network"`},
		{name: "duplicate", in: "A=1\nB=2\nA=SECRETVALUE", wantErr: "line 3: A is already set on line 1"},
		{name: "NUL in value", in: "A=SECRET\x00VALUE", wantErr: "line 1: value of A contains a NUL byte"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseBuildArgs(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "SECRET") {
					t.Errorf("error %q shows a value", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseBuildArgsLimits(t *testing.T) {
	var many strings.Builder
	for i := range maxBuildArgs + 1 {
		fmt.Fprintf(&many, "K%d=v\n", i)
	}
	if _, err := ParseBuildArgs(many.String()); err == nil || !strings.Contains(err.Error(), "more than") {
		t.Errorf("%d arguments: error %v, want a limit error", maxBuildArgs+1, err)
	}
	long := "K=" + strings.Repeat("v", maxBuildArgBytes)
	if _, err := ParseBuildArgs(long); err == nil || !strings.Contains(err.Error(), "longer than") {
		t.Errorf("long value: error %v, want a limit error", err)
	}
}

func FuzzParseBuildArgs(f *testing.F) {
	f.Add("A=1\nB=2")
	f.Add("  NODE_VERSION=20\r\n# c\n\nX=a=b")
	f.Add("=x\n-x=1\nA")
	f.Add("A=1\nA=2")
	f.Fuzz(func(t *testing.T, in string) {
		args, err := ParseBuildArgs(in)
		if err != nil {
			return
		}
		keys := map[string]bool{}
		for _, kv := range args {
			key, err := checkBuildArg(kv)
			if err != nil {
				t.Fatalf("accepted %q: %v", kv, err)
			}
			if keys[key] {
				t.Fatalf("duplicate key %s accepted", key)
			}
			keys[key] = true
			if strings.ContainsAny(kv, "\n") || kv != strings.TrimSpace(kv) {
				t.Fatalf("entry %q not trimmed to one line", kv)
			}
		}
		again, err := ParseBuildArgs(strings.Join(args, "\n"))
		if err != nil || !slices.Equal(again, args) {
			t.Fatalf("round trip of %q: %q, %v", args, again, err)
		}
	})
}
