package build

import (
	"fmt"
	"strings"
)

// Limits on build arguments: they come from workflow inputs and end up on a
// command line, so their number and size are bounded.
const (
	maxBuildArgs     = 256
	maxBuildArgBytes = 64 << 10
	maxKeyLen        = 128
)

// ParseBuildArgs parses the multi-line build-args input of the action: one
// KEY=VALUE per line, as docker/build-push-action takes it. Blank lines and
// lines starting with '#' are skipped; surrounding white space is trimmed.
// Errors name the line number and the key, never the value, which may be a
// secret.
func ParseBuildArgs(s string) ([]string, error) {
	var out []string
	seen := map[string]int{}
	for i, line := range strings.Split(s, "\n") {
		n := i + 1
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, err := checkBuildArg(line)
		if err != nil {
			return nil, fmt.Errorf("build-args line %d: %w", n, err)
		}
		if first, dup := seen[key]; dup {
			return nil, fmt.Errorf("build-args line %d: %s is already set on line %d", n, key, first)
		}
		seen[key] = n
		if len(out) == maxBuildArgs {
			return nil, fmt.Errorf("build-args line %d: more than %d build arguments", n, maxBuildArgs)
		}
		out = append(out, line)
	}
	return out, nil
}

// checkBuildArg validates one KEY=VALUE entry and returns its key.
func checkBuildArg(kv string) (string, error) {
	if len(kv) > maxBuildArgBytes {
		return "", fmt.Errorf("longer than %d bytes", maxBuildArgBytes)
	}
	key, _, ok := strings.Cut(kv, "=")
	if !ok {
		// The line may be a pasted secret: do not echo it.
		return "", fmt.Errorf("expected KEY=VALUE, found no '='")
	}
	if !validKey(key) {
		return "", fmt.Errorf("invalid name %q: a build argument name is a letter or '_' followed by letters, digits or '_'", clip(key, 40))
	}
	if strings.ContainsRune(kv, 0) {
		return "", fmt.Errorf("value of %s contains a NUL byte", key)
	}
	return key, nil
}

// validKey reports whether s is a shell-style variable name, the form every
// Docker builder accepts for a build argument.
func validKey(s string) bool {
	if s == "" || len(s) > maxKeyLen {
		return false
	}
	for i, c := range s {
		switch {
		case c == '_', 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z':
		case i > 0 && '0' <= c && c <= '9':
		default:
			return false
		}
	}
	return true
}

// clip shortens s to at most n bytes for an error message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
