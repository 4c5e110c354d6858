package npm

import (
	"errors"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// The kept manifest, as the layer cache stores it. The parse error is
// only ever shown as a warning, so its message is what is kept.
func init() {
	packages.RegisterCapture("npm.manifest", func(w *packages.CaptureWriter, m *manifest) bool {
		if m == nil {
			return false
		}
		w.String(m.name)
		w.String(m.version)
		w.Bool(m.err != nil)
		if m.err != nil {
			w.String(m.err.Error())
		}
		return true
	}, func(r *packages.CaptureReader) *manifest {
		m := &manifest{name: r.String(), version: r.String()}
		if r.Bool() {
			m.err = errors.New(r.String())
		}
		return m
	})
}
