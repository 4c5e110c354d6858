package layercache

import (
	"bytes"
	"testing"
)

// FuzzOpen: whatever is on disk, open returns an error or exactly the
// data that seal framed for the key.
func FuzzOpen(f *testing.F) {
	f.Add("k", seal("k", []byte("data")))
	f.Add("k", seal("other", []byte("data")))
	f.Add("k", []byte(magic))
	f.Add("k", []byte{})
	f.Fuzz(func(t *testing.T, key string, raw []byte) {
		data, err := open(key, raw)
		if err != nil {
			return
		}
		if !bytes.Equal(seal(key, data), raw) {
			t.Fatalf("open accepted %q for %q, which seal does not write", raw, key)
		}
	})
}
