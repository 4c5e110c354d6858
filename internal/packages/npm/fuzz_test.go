package npm

import (
	pathpkg "path"
	"slices"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages/catalogtest"
)

// FuzzParse checks that parse never panics and that what it accepts is a
// usable name and version.
func FuzzParse(f *testing.F) {
	catalogtest.SeedFiles(f, "testdata/root/usr/share/nodejs/*/package.json")
	f.Add([]byte(`{"name":"a","version":"1","version":2}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		name, version, err := parse(data)
		if err != nil {
			return
		}
		if !valid(name) || !valid(version) || strings.ContainsAny(name+version, " \n\t") {
			t.Fatalf("accepted %q %q", name, version)
		}
	})
}

// FuzzMatch checks that Match never panics on odd paths and agrees with
// a slower statement of the same rule.
func FuzzMatch(f *testing.F) {
	f.Add("/usr/share/nodejs/@types/ms/package.json")
	f.Add("/app/node_modules/a/node_modules/@s/b/package.json")
	f.Add("/app/node_modules/a/test/node_modules/b/package.json")
	f.Fuzz(func(t *testing.T, path string) {
		if !strings.HasPrefix(path, "/") || pathpkg.Clean(path) != path {
			return // the inventory passes absolute, cleaned paths
		}
		got := isManifestPath(path)
		if got != slowIsManifest(path) {
			t.Fatalf("isManifestPath(%q) = %v, slow rule says %v", path, got, !got)
		}
	})
}

// slowIsManifest restates the rule on path segments: the last one or two
// segments before package.json name the package, and every node_modules
// on the way holds only package roots below a top-level tree.
func slowIsManifest(path string) bool {
	segs := strings.Split(path, "/")
	if len(segs) < 3 || segs[len(segs)-1] != "package.json" {
		return false
	}
	return slowRoot(segs[:len(segs)-1])
}

func slowRoot(segs []string) bool {
	name := segs[len(segs)-1]
	if name == "" || name[0] == '.' || name[0] == '@' {
		return false
	}
	parent := segs[:len(segs)-1]
	if len(parent) > 0 && strings.HasPrefix(parent[len(parent)-1], "@") {
		parent = parent[:len(parent)-1]
	}
	if slowDebian(parent) {
		return true
	}
	if len(parent) == 0 || parent[len(parent)-1] != "node_modules" {
		return false
	}
	holder := parent[:len(parent)-1]
	if n := len(holder); n >= 3 && holder[n-1] != "" && (holder[n-2] == ".pnpm" || holder[n-2] == ".store") && holder[n-3] == "node_modules" {
		return true
	}
	nested := slices.Contains(holder, "node_modules")
	for i := 1; i <= len(holder) && !nested; i++ {
		nested = slowDebian(holder[:i]) && i < len(holder)
	}
	if nested {
		return slowRoot(holder)
	}
	return true
}

func slowDebian(segs []string) bool {
	p := strings.Join(segs, "/")
	return p == "/usr/share/nodejs" || p == "/usr/lib/nodejs" ||
		len(segs) == 5 && p[:9] == "/usr/lib/" && segs[3] != "" && segs[4] == "nodejs"
}
