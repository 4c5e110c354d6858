package main

import (
	"flag"
	"os"

	"github.com/imagedrift/imagedrift/internal/layercache"
)

// addCacheFlags registers --cache-dir and --no-cache, which every command
// that reads images shares; the function returned gives, once parsed, the
// cache directory: "" for none.
func addCacheFlags(fs *flag.FlagSet) func() string {
	dir := fs.String("cache-dir", "", "keep what is read of each layer in `DIR`/layers, by digest, so that a layer read before is not read again (default: $XDG_CACHE_HOME/imagedrift, else ~/.cache/imagedrift)")
	off := fs.Bool("no-cache", false, "do not use the layer cache: read every layer and store nothing (the engine's build cache is another matter)")
	return func() string {
		switch {
		case *off:
			return ""
		case *dir != "":
			return *dir
		}
		return layercache.DefaultDir(os.Getenv)
	}
}
