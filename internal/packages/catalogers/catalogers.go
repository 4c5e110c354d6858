// Package catalogers lists every package cataloger imagedrift runs.
package catalogers

import (
	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/packages/apk"
	"github.com/imagedrift/imagedrift/internal/packages/cargo"
	"github.com/imagedrift/imagedrift/internal/packages/composer"
	"github.com/imagedrift/imagedrift/internal/packages/dpkg"
	"github.com/imagedrift/imagedrift/internal/packages/gem"
	"github.com/imagedrift/imagedrift/internal/packages/golang"
	"github.com/imagedrift/imagedrift/internal/packages/java"
	"github.com/imagedrift/imagedrift/internal/packages/npm"
	"github.com/imagedrift/imagedrift/internal/packages/nuget"
	"github.com/imagedrift/imagedrift/internal/packages/python"
	"github.com/imagedrift/imagedrift/internal/packages/rpm"
)

// All returns fresh catalogers of every ecosystem.
func All() []packages.Cataloger {
	return []packages.Cataloger{
		dpkg.New(),
		apk.New(),
		rpm.New(),
		python.New(),
		npm.New(),
		gem.New(),
		composer.New(),
		nuget.New(),
		golang.New(),
		java.New(),
		cargo.New(),
	}
}
