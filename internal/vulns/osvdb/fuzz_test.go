package osvdb

import (
	"archive/zip"
	"bytes"
	"testing"

	"github.com/imagedrift/imagedrift/internal/vulns/osvtest"
)

// FuzzIndex reads arbitrary bytes as an ecosystem's all.zip under small
// limits: it fails or indexes, never panics or exceeds the limits.
func FuzzIndex(f *testing.F) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, r := range osvtest.Records(f)[:6] {
		w, _ := zw.Create(r.ID + ".json")
		w.Write(r.Data)
	}
	zw.Close()
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		ix := &index{}
		if err := ix.build(zr, "Debian", Limits{MaxEntries: 100, MaxEntrySize: 1 << 16, MaxTotal: 1 << 20}); err != nil {
			return
		}
		for name := range ix.byName {
			ix.lookup(name)
		}
	})
}
