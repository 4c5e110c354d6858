package repro

// The module's tests share one -update flag; registering it here lets
// `go test ./... -update` run this package too.
import _ "github.com/imagedrift/imagedrift/internal/golden"
