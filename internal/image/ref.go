package image

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
)

// Transport names, as written before the first colon of a reference.
const (
	tDockerArchive = "docker-archive"
	tOCIArchive    = "oci-archive"
	tOCI           = "oci"
	tDaemon        = "daemon"
	tRegistry      = "registry"
	tInventory     = "inventory"
	tPath          = "" // a bare existing path, kind decided by content
)

// knownTransports is what an unknown-transport error lists.
var knownTransports = []string{tDockerArchive, tOCIArchive, tOCI, tDaemon, tRegistry, tInventory}

// parsedRef is a reference split into its transport and operands.
type parsedRef struct {
	transport string
	path      string // file transports and bare paths
	sel       string // docker-archive name:tag or @N; oci ref.name or @N
	name      string // daemon image name, registry reference
}

// IsInventory reports whether ref is "inventory:PATH" (a JSON inventory
// written earlier) and returns PATH. Open refuses such references: the
// caller loads inventories itself.
func IsInventory(ref string) (path string, ok bool) {
	return strings.CutPrefix(ref, tInventory+":")
}

// parseRef splits ref. exists tells whether a path exists; it lets
// "docker-archive:a:b.tar" mean the file "a:b.tar" when there is one, and
// otherwise the file "a" with selector "b.tar" (skopeo's reading).
func parseRef(ref string, exists func(string) bool) (parsedRef, error) {
	if ref == "" {
		return parsedRef{}, fail(ref, ErrBadRef, "empty image reference", nil)
	}
	if rest, ok := strings.CutPrefix(ref, "docker://"); ok {
		return registryRef(ref, rest)
	}
	prefix, rest, hasColon := strings.Cut(ref, ":")
	if hasColon {
		switch prefix {
		case tDockerArchive, tOCIArchive, tOCI:
			if rest == "" {
				return parsedRef{}, fail(ref, ErrBadRef, "missing path after "+prefix+":", nil)
			}
			path, sel := splitPathSel(rest, exists)
			return parsedRef{transport: prefix, path: path, sel: sel}, nil
		case tDaemon:
			if rest == "" {
				return parsedRef{}, fail(ref, ErrBadRef, "missing image name after daemon:", nil)
			}
			return parsedRef{transport: tDaemon, name: rest}, nil
		case tRegistry:
			return registryRef(ref, strings.TrimPrefix(rest, "//"))
		case tInventory:
			if rest == "" {
				return parsedRef{}, fail(ref, ErrBadRef, "missing path after inventory:", nil)
			}
			return parsedRef{transport: tInventory, path: rest}, nil
		}
	}
	if exists(ref) {
		return parsedRef{transport: tPath, path: ref}, nil
	}
	if hasColon && transportWord.MatchString(prefix) && (nearKnown(prefix) || pathLike(rest) || !validRef(ref)) {
		return parsedRef{}, fail(ref, ErrUnknownTransport, fmt.Sprintf(
			"unknown transport %q (known: %s; or a bare registry reference or existing path)",
			prefix, strings.Join(knownTransports, ", ")), nil)
	}
	if looksLikePath(ref) {
		return parsedRef{}, fail(ref, ErrNotFound, "no such file or directory", nil)
	}
	return registryRef(ref, ref)
}

func registryRef(ref, rest string) (parsedRef, error) {
	if rest == "" {
		return parsedRef{}, fail(ref, ErrBadRef, "missing registry reference", nil)
	}
	if _, err := name.ParseReference(rest); err != nil {
		return parsedRef{}, fail(ref, ErrBadRef,
			"not an existing path, a known transport or a valid registry reference: "+err.Error(), err)
	}
	return parsedRef{transport: tRegistry, name: rest}, nil
}

// splitPathSel splits "PATH[:SEL]", preferring the shortest existing
// prefix at a colon, and the first colon when nothing exists.
func splitPathSel(rest string, exists func(string) bool) (path, sel string) {
	if exists(rest) {
		return rest, ""
	}
	for i := 0; i < len(rest); i++ {
		if rest[i] == ':' && i > 0 && exists(rest[:i]) {
			return rest[:i], rest[i+1:]
		}
	}
	if i := strings.IndexByte(rest, ':'); i > 0 {
		return rest[:i], rest[i+1:]
	}
	return rest, ""
}

var transportWord = regexp.MustCompile(`^[a-z][a-z0-9+.-]*$`)

// pathLike is true for what follows a transport that names a file;
// "word:/x" even parses as a registry reference with an empty port.
func pathLike(rest string) bool {
	return strings.HasPrefix(rest, "/") || strings.HasPrefix(rest, ".")
}

// looksLikePath is true for strings nobody means as a registry reference.
func looksLikePath(ref string) bool {
	for _, p := range []string{"/", "./", "../", "~"} {
		if strings.HasPrefix(ref, p) {
			return true
		}
	}
	for _, s := range []string{".tar", ".tar.gz", ".tgz", ".json"} {
		if strings.HasSuffix(ref, s) {
			return true
		}
	}
	return ref == "." || ref == ".."
}

func validRef(ref string) bool {
	_, err := name.ParseReference(ref)
	return err == nil
}

// nearKnown is true when word is a typo of a transport name (such as
// "docker-archiv") or another tool's transport name. Short names are left
// alone: "oc:1" or "demo:2" may well be repositories.
func nearKnown(word string) bool {
	switch word {
	case "docker-daemon", "containers-storage", "oci-layout", "docker-image":
		return true
	}
	for _, k := range knownTransports {
		limit := 1
		if len(k) >= 8 {
			limit = 2
		}
		if len(k) >= 6 && len(word) >= 5 && editDistance(word, k) <= limit {
			return true
		}
	}
	return false
}

// editDistance is Levenshtein's distance; inputs are short words.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 64
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
