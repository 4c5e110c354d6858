package dpkg

import "github.com/imagedrift/imagedrift/internal/packages"

// The extractors' results, as the layer cache stores them.
func init() {
	packages.RegisterCapture("dpkg.list", func(w *packages.CaptureWriter, l *list) bool {
		if l == nil {
			return false
		}
		w.Blob(l.data)
		w.Bool(l.truncated)
		return true
	}, func(r *packages.CaptureReader) *list {
		return &list{data: r.Blob(), truncated: r.Bool()}
	})
	packages.RegisterCapture("dpkg.md5sums", func(w *packages.CaptureWriter, m *md5Result) bool {
		if m == nil {
			return false
		}
		w.Uint(uint64(len(m.sums)))
		for _, e := range m.sums {
			w.Uint(e.path)
			w.Raw(e.sum[:])
		}
		w.Int(int64(m.bad))
		return true
	}, func(r *packages.CaptureReader) *md5Result {
		m := &md5Result{}
		if n := r.Count(17); n > 0 {
			m.sums = make(md5sums, n)
			for i := range m.sums {
				m.sums[i].path = r.Uint()
				copy(m.sums[i].sum[:], r.Raw(16))
			}
		}
		m.bad = int(r.Int())
		return m
	})
	packages.RegisterCapture("dpkg.info", func(*packages.CaptureWriter, infoFile) bool { return true },
		func(*packages.CaptureReader) infoFile { return infoFile{} })
}
