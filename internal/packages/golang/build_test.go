package golang

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// The test module: a real dependency from the module cache
// (golang.org/x/mod, required by imagedrift itself), a module replaced by
// another version and one replaced by a local directory.
var helloFiles = map[string]string{
	"go.mod": `module example.com/hello

go 1.26

require (
	example.com/local v0.0.0
	golang.org/x/mod v0.43.0
	golang.org/x/sync v0.21.0
)

replace golang.org/x/sync => golang.org/x/sync v0.22.0

replace example.com/local => ./local
`,
	"local/go.mod":   "module example.com/local\n\ngo 1.26\n",
	"local/local.go": "package local\n\nfunc Name() string { return \"local\" }\n",
	"main.go": `package main

import (
	"fmt"

	"example.com/local"
	"golang.org/x/mod/semver"
	"golang.org/x/sync/errgroup"
)

func main() {
	var g errgroup.Group
	g.Go(func() error { fmt.Println(semver.Major("v1.2.3"), local.Name()); return nil })
	_ = g.Wait()
}
`,
}

// variants are the builds of the test module: the native one, a 32-bit
// and a big-endian ELF, a stripped one, and a PIE linked by the system
// linker (when a C compiler is there).
var variants = map[string][]string{
	"amd64":    {"GOARCH=amd64", "CGO_ENABLED=0"},
	"386":      {"GOARCH=386", "CGO_ENABLED=0"},
	"s390x":    {"GOARCH=s390x", "CGO_ENABLED=0"},
	"stripped": {"GOARCH=amd64", "CGO_ENABLED=0", "-ldflags=-s -w"},
	"external": {"GOARCH=amd64", "CGO_ENABLED=1", "-buildmode=pie", "-ldflags=-linkmode=external"},
}

var built struct {
	sync.Mutex
	dir  string
	bins map[string]string
	errs map[string]string
}

// helloBinary builds the test module for a variant once per test run.
func helloBinary(t testing.TB, variant string) string {
	t.Helper()
	built.Lock()
	defer built.Unlock()
	if p, ok := built.bins[variant]; ok {
		return p
	}
	if msg, ok := built.errs[variant]; ok {
		t.Skip(msg)
	}
	if built.dir == "" {
		dir, err := os.MkdirTemp("", "golang-test-")
		if err != nil {
			t.Fatal(err)
		}
		for name, content := range helloFiles {
			p := filepath.Join(dir, "src", name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		built.dir, built.bins, built.errs = dir, map[string]string{}, map[string]string{}
	}
	out := filepath.Join(built.dir, "hello-"+variant)
	args := []string{"build", "-trimpath", "-o", out}
	env := append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOSUMDB=off", "GOOS=linux")
	for _, v := range variants[variant] {
		if strings.HasPrefix(v, "-") {
			args = append(args, v)
		} else {
			env = append(env, v)
		}
	}
	if variant == "external" {
		if _, err := exec.LookPath("gcc"); err != nil {
			built.errs[variant] = "no gcc for an externally linked build"
			t.Skip(built.errs[variant])
		}
	}
	cmd := exec.Command("go", append(args, ".")...)
	cmd.Dir, cmd.Env = filepath.Join(built.dir, "src"), env
	if b, err := cmd.CombinedOutput(); err != nil {
		// The module cache or the proxy must provide golang.org/x/mod
		// and golang.org/x/sync; without them there is nothing to test.
		built.errs[variant] = "cannot build the test module: " + err.Error() + ": " + string(b)
		t.Skip(built.errs[variant])
	}
	built.bins[variant] = out
	return out
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}
