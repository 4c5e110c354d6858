package selfcheck

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/imagedrift/imagedrift/internal/lint"
)

// TestDockerfileLintsClean: imagedrift lint finds nothing in the
// repository's own Dockerfile.
func TestDockerfileLintsClean(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(root, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	findings, err := lint.Lint("Dockerfile", src, lint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		t.Errorf("Dockerfile:%d: %s %s: %s", f.Line, f.Level, f.Rule, f.Message)
	}
}

// TestDockerfileShape: multi-stage, bases by digest, a non-root user, the
// OCI labels with the version recorded, the CLI as entrypoint.
func TestDockerfileShape(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(root, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := parser.Parse(strings.NewReader(string(src)))
	if err != nil {
		t.Fatal(err)
	}
	stages, _, err := instructions.Parse(res.AST, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(stages) != 2 {
		t.Fatalf("%d stages, want a build stage and the final one", len(stages))
	}
	for _, s := range stages {
		if !strings.Contains(s.BaseName, "@sha256:") {
			t.Errorf("FROM %s is not pinned by digest", s.BaseName)
		}
	}
	final := stages[1]
	labels := map[string]string{}
	var user string
	var entrypoint []string
	for _, c := range final.Commands {
		switch c := c.(type) {
		case *instructions.LabelCommand:
			for _, kv := range c.Labels {
				labels[kv.Key] = strings.Trim(kv.Value, `"`)
			}
		case *instructions.UserCommand:
			user = c.User
		case *instructions.EntrypointCommand:
			entrypoint = c.CmdLine
		}
	}
	if user == "" || user == "root" || strings.HasPrefix(user, "0") {
		t.Errorf("USER %q: want a non-root user", user)
	}
	for _, k := range []string{"source", "title", "description", "version"} {
		if labels["org.opencontainers.image."+k] == "" {
			t.Errorf("no org.opencontainers.image.%s label", k)
		}
	}
	if labels["org.opencontainers.image.version"] != "${VERSION}" {
		t.Errorf("version label %q: want the VERSION build argument", labels["org.opencontainers.image.version"])
	}
	if strings.Join(entrypoint, " ") != "/imagedrift" {
		t.Errorf("ENTRYPOINT %q", entrypoint)
	}
	// The module files are copied and downloaded before the sources.
	build := stages[0]
	var order []string
	for _, c := range build.Commands {
		if s, ok := c.(fmt.Stringer); ok {
			order = append(order, strings.ToLower(s.String()))
		}
	}
	got := strings.Join(order, "\n")
	if i, j := strings.Index(got, "go mod download"), strings.Index(got, "copy . ."); i < 0 || j < i {
		t.Errorf("go mod download does not come before the sources are copied:\n%s", got)
	}
	if !strings.Contains(got, "cgo_enabled=0 go build -trimpath") {
		t.Errorf("no static, trimmed build:\n%s", got)
	}
}

// TestDockerignore: the build context leaves out the git directory and
// test data.
func TestDockerignore(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	lines := map[string]bool{}
	for _, l := range strings.Split(string(b), "\n") {
		lines[strings.TrimSpace(l)] = true
	}
	for _, want := range []string{".git", "**/testdata"} {
		if !lines[want] {
			t.Errorf(".dockerignore does not leave out %s", want)
		}
	}
}
