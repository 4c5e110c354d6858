package cargo

import "github.com/imagedrift/imagedrift/internal/packages"

// The crates of an executable, as the layer cache stores them.
func init() {
	packages.RegisterCapture("cargo.audit", func(w *packages.CaptureWriter, a *Audit) bool {
		if a == nil {
			return false
		}
		w.String(a.Root)
		w.Uint(uint64(len(a.Crates)))
		for _, c := range a.Crates {
			w.String(c.Name)
			w.String(c.Version)
			w.Bool(c.Root)
		}
		return true
	}, func(r *packages.CaptureReader) *Audit {
		a := &Audit{Root: r.String()}
		if n := r.Count(3); n > 0 {
			a.Crates = make([]Crate, n)
			for i := range a.Crates {
				a.Crates[i] = Crate{Name: r.String(), Version: r.String(), Root: r.Bool()}
			}
		}
		return a
	})
}
