package main

import "github.com/imagedrift/imagedrift/internal/packages"

// catalogers are the package catalogers every inventory runs.
func catalogers() []packages.Cataloger {
	return nil
}
