package layercache

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func openT(t *testing.T, dir string, max int64) *Cache {
	t.Helper()
	c, err := Open(dir, max)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPutGet(t *testing.T) {
	c := openT(t, t.TempDir(), 0)
	if _, ok, err := c.Get("absent"); ok || err != nil {
		t.Fatalf("Get of a missing key: ok=%v err=%v", ok, err)
	}
	for _, data := range [][]byte{nil, []byte("x"), bytes.Repeat([]byte("layer"), 1000)} {
		if err := c.Put("k", data); err != nil {
			t.Fatal(err)
		}
		got, ok, err := c.Get("k")
		if !ok || err != nil || !bytes.Equal(got, data) {
			t.Fatalf("Get = %q, %v, %v; want %q", got, ok, err, data)
		}
	}
}

func TestInvalidKeys(t *testing.T) {
	c := openT(t, t.TempDir(), 0)
	for _, k := range []string{"", "../x", "a/b", ".tmp-x", "UPPER", "sha256:abc"} {
		if err := c.Put(k, []byte("x")); err == nil {
			t.Errorf("Put(%q) succeeded", k)
		}
		if _, _, err := c.Get(k); err == nil {
			t.Errorf("Get(%q) succeeded", k)
		}
	}
}

// TestDamaged: an entry that was cut short, had a byte flipped, or was
// copied under another key reads as damaged and is removed.
func TestDamaged(t *testing.T) {
	damage := map[string]func(b []byte) []byte{
		"truncated": func(b []byte) []byte { return b[:len(b)-3] },
		"flipped":   func(b []byte) []byte { b[len(b)-10] ^= 1; return b },
		"extended":  func(b []byte) []byte { return append(b, 0) },
		"empty":     func([]byte) []byte { return nil },
		"header":    func(b []byte) []byte { b[2] ^= 1; return b },
	}
	for name, fn := range damage {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			c := openT(t, dir, 0)
			if err := c.Put("k", bytes.Repeat([]byte("entry"), 100)); err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(dir, "layers", "k")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, fn(b), 0o600)
			if _, ok, err := c.Get("k"); ok || !errors.Is(err, ErrDamaged) {
				t.Fatalf("Get = ok %v, err %v; want ErrDamaged", ok, err)
			}
			if _, err := os.Stat(p); !os.IsNotExist(err) {
				t.Errorf("damaged entry kept: %v", err)
			}
		})
	}
	t.Run("other key", func(t *testing.T) {
		dir := t.TempDir()
		c := openT(t, dir, 0)
		c.Put("a", []byte("content of a"))
		b, _ := os.ReadFile(filepath.Join(dir, "layers", "a"))
		os.WriteFile(filepath.Join(dir, "layers", "b"), b, 0o600)
		if _, ok, err := c.Get("b"); ok || !errors.Is(err, ErrDamaged) {
			t.Fatalf("an entry renamed to another key: ok %v, err %v", ok, err)
		}
	})
}

// TestEvictsLeastRecentlyUsed: a Get counts as a use, and entries go
// oldest use first once the bound is passed.
func TestEvictsLeastRecentlyUsed(t *testing.T) {
	dir := t.TempDir()
	c := openT(t, dir, 0)
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c.now = func() time.Time { return clock }
	entry := bytes.Repeat([]byte("x"), 1000)
	for _, k := range []string{"a", "b", "c"} {
		if err := c.Put(k, entry); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, "layers", k)
		os.Chtimes(p, clock, clock)
		clock = clock.Add(time.Minute)
	}
	fi, _ := os.Stat(filepath.Join(dir, "layers", "a"))
	c.max = 3 * fi.Size()
	if _, ok, _ := c.Get("a"); !ok { // a is now the most recently used
		t.Fatal("a missing")
	}
	clock = clock.Add(time.Minute)
	if err := c.Put("d", entry); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]bool{"a": true, "b": false, "c": true, "d": true} {
		_, err := os.Stat(filepath.Join(dir, "layers", k))
		if got := err == nil; got != want {
			t.Errorf("%s kept = %v, want %v", k, got, want)
		}
	}
}

func TestStaleTempRemoved(t *testing.T) {
	dir := t.TempDir()
	c := openT(t, dir, 0)
	old := filepath.Join(dir, "layers", ".tmp-x-1")
	fresh := filepath.Join(dir, "layers", ".tmp-y-1")
	os.WriteFile(old, []byte("partial"), 0o600)
	os.WriteFile(fresh, []byte("partial"), 0o600)
	past := time.Now().Add(-2 * staleTemp)
	os.Chtimes(old, past, past)
	if err := c.Put("k", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Error("stale temporary file kept")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Error("a writer's temporary file removed")
	}
}

// TestConcurrentWriters: goroutines and another process write the same
// entries while others read and evict: no reader ever sees part of an
// entry, and every entry read is one that was written.
func TestConcurrentWriters(t *testing.T) {
	dir := t.TempDir()
	entry := func(k string) []byte { return bytes.Repeat([]byte(k), 50_000) }
	keys := []string{"a", "b", "c", "d"}
	// A bound of two entries and a half keeps evictions going.
	max := int64(len(seal("a", entry("a"))) * 5 / 2)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWriter$")
	cmd.Env = append(os.Environ(), "LAYERCACHE_HELPER_DIR="+dir, fmt.Sprintf("LAYERCACHE_HELPER_MAX=%d", max))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := openT(t, dir, max)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				k := keys[i%len(keys)]
				if err := c.Put(k, entry(k)); err != nil {
					t.Error(err)
				}
			}
		}()
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				k := keys[i%len(keys)]
				got, ok, err := c.Get(k)
				if err != nil {
					t.Errorf("Get(%s): %v", k, err)
				}
				if ok && !bytes.Equal(got, entry(k)) {
					t.Errorf("Get(%s) returned other content", k)
				}
			}
		}()
	}
	wg.Wait()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("writer process: %v", err)
	}
}

// TestHelperWriter is the other process of TestConcurrentWriters.
func TestHelperWriter(t *testing.T) {
	dir := os.Getenv("LAYERCACHE_HELPER_DIR")
	if dir == "" {
		t.Skip("helper process")
	}
	var max int64
	fmt.Sscan(os.Getenv("LAYERCACHE_HELPER_MAX"), &max)
	c := openT(t, dir, max)
	for i := 0; i < 100; i++ {
		k := []string{"a", "b", "c", "d"}[i%4]
		if err := c.Put(k, bytes.Repeat([]byte(k), 50_000)); err != nil {
			t.Fatal(err)
		}
		if got, ok, err := c.Get(k); err != nil || ok && !bytes.Equal(got, bytes.Repeat([]byte(k), 50_000)) {
			t.Fatalf("Get(%s): ok %v err %v", k, ok, err)
		}
	}
}

// TestDefaultDir: the caches live where XDG says, else under the home
// directory, as the OSV records' cache does.
func TestDefaultDir(t *testing.T) {
	for _, tt := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"XDG_CACHE_HOME": "/c", "HOME": "/h"}, "/c/imagedrift"},
		{map[string]string{"XDG_CACHE_HOME": "relative", "HOME": "/h"}, "/h/.cache/imagedrift"},
		{map[string]string{"HOME": "/h"}, "/h/.cache/imagedrift"},
		{nil, ""},
	} {
		if got := DefaultDir(func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("%v: %q, want %q", tt.env, got, tt.want)
		}
	}
}
