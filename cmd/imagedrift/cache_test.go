package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestMain keeps the layer cache of every test run of the commands in a
// directory of its own, never in the user's.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "imagedrift-cmd-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CACHE_HOME", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// TestDiffCached: a diff run twice with the layer cache prints the same
// JSON report as a run without it; the first run fills the cache, and
// --no-cache leaves it alone.
func TestDiffCached(t *testing.T) {
	base := filepath.Join("..", "..", "testdata", "images", "base.tar")
	head := filepath.Join("..", "..", "testdata", "images", "head.tar")
	diff := func(extra ...string) []byte {
		t.Helper()
		var out, errb bytes.Buffer
		args := append([]string{"diff", base, head, "--format", "json"}, extra...)
		if code := run(context.Background(), args, defaultDeps(), streams{Out: &out, Err: &errb}); code != 0 && code != 1 {
			t.Fatalf("%v: exit %d: %s", args, code, errb.String())
		}
		if errb.Len() > 0 {
			t.Errorf("%v: stderr: %s", args, errb.String())
		}
		return out.Bytes()
	}
	dir := t.TempDir()
	want := diff("--no-cache")
	if entries, _ := filepath.Glob(filepath.Join(dir, "layers", "*")); len(entries) > 0 {
		t.Fatalf("--no-cache wrote %d entries", len(entries))
	}
	for run := 0; run < 2; run++ {
		if got := diff("--cache-dir", dir); !bytes.Equal(got, want) {
			t.Fatalf("run %d with the cache differs:\n%s\nwant\n%s", run, got, want)
		}
		if entries, _ := filepath.Glob(filepath.Join(dir, "layers", "*")); len(entries) == 0 {
			t.Fatalf("run %d stored nothing", run)
		}
	}
}

func TestCacheFlags(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", "/xdg")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{nil, "/xdg/imagedrift"},
		{[]string{"--cache-dir", "/c"}, "/c"},
		{[]string{"--no-cache"}, ""},
		{[]string{"--cache-dir", "/c", "--no-cache"}, ""},
	} {
		c, err := parseDiffArgs(append([]string{"a", "b"}, tt.args...), &bytes.Buffer{})
		if err != nil {
			t.Fatal(err)
		}
		if c.cacheDir != tt.want {
			t.Errorf("%v: cache dir %q, want %q", tt.args, c.cacheDir, tt.want)
		}
	}
}
