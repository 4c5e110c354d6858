package python

import "strings"

// isMetadataPath reports whether path is a core-metadata file of an
// installed distribution. It only slices the string, so the inventory can
// call it for every file of every layer without allocating.
func isMetadataPath(path string) bool {
	switch {
	case strings.HasSuffix(path, "/METADATA"):
		return strings.HasSuffix(path[:len(path)-len("/METADATA")], ".dist-info")
	case strings.HasSuffix(path, "/PKG-INFO"):
		dir := path[:len(path)-len("/PKG-INFO")]
		return strings.HasSuffix(dir, ".egg-info") || strings.HasSuffix(dir, ".egg/EGG-INFO")
	case strings.HasSuffix(path, ".egg-info"):
		// distutils writes a single file NAME-VERSION.egg-info with the
		// PKG-INFO content; Debian ships many of these. A directory of
		// the same name never reaches Match (only regular files do).
		return len(path) > len(".egg-info") && path[len(path)-len(".egg-info")-1] != '/'
	}
	return false
}
