// Package golden holds the one -update flag of the module's tests: every
// test binary registers it through this package, so that
// `go test ./... -update` rewrites the golden files under testdata/ and no
// package rejects the flag.
package golden

import "flag"

// Update is set by -update: tests rewrite their golden files instead of
// comparing with them.
var Update = flag.Bool("update", false, "rewrite golden files under testdata/")
