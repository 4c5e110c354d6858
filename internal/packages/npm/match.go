package npm

import "strings"

// isManifestPath reports whether path is the package.json of an installed
// package: the file directly in a package root. It only slices the
// string, so it costs nothing for the files that are not package.json.
func isManifestPath(path string) bool {
	dir, ok := strings.CutSuffix(path, "/package.json")
	return ok && isPackageRoot(dir)
}

// isPackageRoot reports whether dir is the root of an installed package:
// NAME or @SCOPE/NAME directly inside a node_modules directory or inside
// one of Debian's Node.js directories. A node_modules directory only
// counts when it belongs to a package root itself or to a top-level tree
// (an app's /app/node_modules, the global /usr/lib/node_modules): that
// keeps out the fixtures packages carry in their test directories
// (node_modules/foo/test/fixtures/node_modules/bar). The virtual stores
// of pnpm (node_modules/.pnpm/ID/node_modules/NAME) and of npm's linked
// strategy (node_modules/.store/ID/node_modules/NAME) hold the real
// copies that the top-level node_modules links to.
func isPackageRoot(dir string) bool {
	parent, name := split(dir)
	if name == "" || name[0] == '.' || name[0] == '@' {
		return false
	}
	if p, scope := split(parent); scope != "" && scope[0] == '@' {
		parent = p
	}
	if isDebianDir(parent) {
		return true
	}
	holder, base := split(parent)
	if base != "node_modules" {
		return false
	}
	if isStoreEntry(holder) {
		return true
	}
	if strings.Contains(holder, "/node_modules/") || underDebianDir(holder) {
		return isPackageRoot(holder)
	}
	return true
}

// isStoreEntry reports whether dir is node_modules/.pnpm/ID or
// node_modules/.store/ID.
func isStoreEntry(dir string) bool {
	store, id := split(dir)
	if id == "" {
		return false
	}
	nm, base := split(store)
	return (base == ".pnpm" || base == ".store") && strings.HasSuffix(nm, "/node_modules")
}

// split cuts path at its last slash.
func split(path string) (dir, base string) {
	i := strings.LastIndexByte(path, '/')
	if i < 0 {
		return "", path
	}
	return path[:i], path[i+1:]
}

// isDebianDir reports whether dir is one of the directories Debian
// installs Node.js packages into: /usr/share/nodejs, /usr/lib/nodejs and
// the architecture-specific /usr/lib/TRIPLET/nodejs.
func isDebianDir(dir string) bool {
	if dir == "/usr/share/nodejs" || dir == "/usr/lib/nodejs" {
		return true
	}
	rest, ok := strings.CutPrefix(dir, "/usr/lib/")
	if !ok {
		return false
	}
	triplet, ok := strings.CutSuffix(rest, "/nodejs")
	return ok && triplet != "" && strings.IndexByte(triplet, '/') < 0
}

func underDebianDir(path string) bool {
	for d := path; len(d) > len("/usr/lib"); d, _ = split(d) {
		if isDebianDir(d) {
			return true
		}
	}
	return false
}
