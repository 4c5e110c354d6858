package inventory

import (
	"bufio"
	"bytes"
	"path"
	"strconv"
	"strings"
)

// resolve follows symlinks inside the squashed tree, never out of it: an
// absolute target is taken from the image root and ".." stops at the
// root. It gives up after 40 links, as the kernel does, so loops end.
func (s *squasher) resolve(p string) (string, *node) {
	for hops := 0; hops < 40; hops++ {
		n := &s.root
		cur := "/"
		parts := splitPath(p)
		followed := false
		for i, part := range parts {
			n = n.child(part, false)
			if n == nil {
				return "", nil
			}
			cur = path.Join(cur, part)
			if n.e != nil && n.e.kind == kindSymlink {
				target := n.e.link
				if !path.IsAbs(target) {
					target = path.Join(path.Dir(cur), target)
				}
				rest := strings.Join(parts[i+1:], "/")
				p = path.Clean("/" + path.Join(target, rest))
				followed = true
				break
			}
		}
		if !followed {
			return p, n
		}
	}
	return "", nil
}

// readOSRelease picks /etc/os-release (following its symlink within the
// image, Debian points it at /usr/lib/os-release), else
// /usr/lib/os-release, and parses it.
func (s *squasher) readOSRelease(captured map[string][]byte) OS {
	for _, p := range []string{"/etc/os-release", "/usr/lib/os-release"} {
		real, n := s.resolve(p)
		if n == nil || n.e == nil {
			continue
		}
		if data, ok := captured[real]; ok {
			return parseOSRelease(data)
		}
	}
	return OS{}
}

// parseOSRelease reads the shell-like KEY=value lines of os-release(5).
func parseOSRelease(data []byte) OS {
	var o OS
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		if uq, err := strconv.Unquote(v); err == nil {
			v = uq
		} else {
			v = strings.Trim(v, `"'`)
		}
		switch k {
		case "ID":
			o.ID = v
		case "VERSION_ID":
			o.VersionID = v
		case "PRETTY_NAME":
			o.PrettyName = v
		}
	}
	return o
}
