package rpm

import "github.com/imagedrift/imagedrift/internal/packages"

// The write-ahead log's size, as the layer cache stores it.
func init() {
	packages.RegisterCapture("rpm.walsize", func(w *packages.CaptureWriter, n walSize) bool {
		w.Int(int64(n))
		return true
	}, func(r *packages.CaptureReader) walSize { return walSize(r.Int()) })
}
