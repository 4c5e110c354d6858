package python

import "github.com/imagedrift/imagedrift/internal/packages"

// The kept metadata header, as the layer cache stores it.
func init() {
	packages.RegisterCapture("python.metadata", func(w *packages.CaptureWriter, m *metadata) bool {
		if m == nil {
			return false
		}
		w.String(m.Name)
		w.String(m.Version)
		w.Bool(m.NameOk)
		w.Bool(m.VersionOk)
		w.Bool(m.Done)
		return true
	}, func(r *packages.CaptureReader) *metadata {
		return &metadata{Name: r.String(), Version: r.String(), NameOk: r.Bool(), VersionOk: r.Bool(), Done: r.Bool()}
	})
}
