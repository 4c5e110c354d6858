package java

import "github.com/imagedrift/imagedrift/internal/packages"

// The packages found in an archive, as the layer cache stores them.
func init() {
	packages.RegisterCapture("java.archive", func(w *packages.CaptureWriter, a *Archive) bool {
		if a == nil {
			return false
		}
		w.Uint(uint64(len(a.Packages)))
		for _, p := range a.Packages {
			w.String(p.Name)
			w.String(p.Version)
			w.String(p.Inner)
		}
		w.Uint(uint64(len(a.Warnings)))
		for _, s := range a.Warnings {
			w.String(s)
		}
		return true
	}, func(r *packages.CaptureReader) *Archive {
		a := &Archive{}
		if n := r.Count(3); n > 0 {
			a.Packages = make([]Found, n)
			for i := range a.Packages {
				a.Packages[i] = Found{Name: r.String(), Version: r.String(), Inner: r.String()}
			}
		}
		if n := r.Count(1); n > 0 {
			a.Warnings = make([]string, n)
			for i := range a.Warnings {
				a.Warnings[i] = r.String()
			}
		}
		return a
	})
}
