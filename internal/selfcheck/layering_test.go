package selfcheck

import (
	"os/exec"
	"strings"
	"testing"
)

// The engine reads images and renders reports with no network and no
// GitHub, so that it runs in any CI; the GitHub client knows no engine;
// nothing imports the command. These are the "never" arrows of the
// design, checked on the real import graph (go list -deps).
func TestLayering(t *testing.T) {
	engine := []string{"inventory", "packages/...", "diff/...", "risk", "report", "lint", "lint/output", "analysis", "config", "drift"}
	never := []string{"net/http", "github.com/google/go-github", "internal/github", "internal/action", "internal/vulns", "/cmd/"}
	for _, p := range engine {
		for _, dep := range deps(t, "./internal/"+p) {
			for _, n := range never {
				if strings.Contains(dep, n) || dep == n {
					t.Errorf("the engine package %s depends on %s", p, dep)
				}
			}
		}
	}
	// The client of GitHub's API is usable without the engine.
	for _, dep := range deps(t, "./internal/github/api") {
		if strings.HasPrefix(dep, "github.com/imagedrift/imagedrift/") && !strings.HasPrefix(dep, "github.com/imagedrift/imagedrift/internal/github/api") {
			t.Errorf("internal/github/api depends on %s", dep)
		}
	}
	// The inventory knows the layer cache by an interface, not its disk
	// format; the cache is a store of bytes that knows no engine.
	for _, dep := range deps(t, "./internal/inventory") {
		if strings.HasSuffix(dep, "/internal/layercache") {
			t.Errorf("internal/inventory depends on %s", dep)
		}
	}
	for _, dep := range deps(t, "./internal/layercache") {
		if strings.HasPrefix(dep, "github.com/imagedrift/imagedrift/") && !strings.HasSuffix(dep, "/internal/layercache") {
			t.Errorf("internal/layercache depends on %s", dep)
		}
	}
	// Nothing below cmd imports cmd.
	for _, dep := range deps(t, "./internal/...") {
		if strings.Contains(dep, "imagedrift/cmd/") {
			t.Errorf("a package under internal depends on %s", dep)
		}
	}
}

// deps lists the packages pattern depends on, tests excluded.
func deps(t *testing.T, pattern string) []string {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", pattern)
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pattern, err)
	}
	return strings.Fields(string(out))
}
