package action

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/imagedrift/imagedrift/internal/build"
	"github.com/imagedrift/imagedrift/internal/fixtures"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/load"
)

// runnerEnv is the environment a runner sets for a step, in files of a
// temporary directory.
type runnerEnv struct {
	t      *testing.T
	vars   map[string]string
	dir    string
	stdout syncBuffer
}

func newRunnerEnv(t *testing.T, workspace, event string) *runnerEnv {
	t.Helper()
	dir := t.TempDir()
	e := &runnerEnv{t: t, dir: dir, vars: map[string]string{
		"GITHUB_ACTIONS":      "true",
		"GITHUB_WORKSPACE":    workspace,
		"GITHUB_EVENT_NAME":   event,
		"GITHUB_OUTPUT":       filepath.Join(dir, "output"),
		"GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary"),
		"GITHUB_REPOSITORY":   "acme/web",
		"GITHUB_API_URL":      "https://api.github.com",
		"RUNNER_TEMP":         filepath.Join(dir, "runner-temp"),
		"XDG_CACHE_HOME":      filepath.Join(dir, "cache"),
	}}
	if err := os.MkdirAll(e.vars["RUNNER_TEMP"], 0o755); err != nil {
		t.Fatal(err)
	}
	// Events without a pull request are read by name only; the file is
	// there as on a runner.
	e.setEventFile([]byte("{}"))
	return e
}

func (e *runnerEnv) setEventFile(payload []byte) {
	p := filepath.Join(e.dir, "event.json")
	if err := os.WriteFile(p, payload, 0o600); err != nil {
		e.t.Fatal(err)
	}
	e.vars["GITHUB_EVENT_PATH"] = p
}

// input sets INPUT_<NAME> as the runner spells it: upper case, the
// hyphens kept.
func (e *runnerEnv) input(name, value string) {
	e.vars["INPUT_"+strings.ToUpper(name)] = value
}

func (e *runnerEnv) getenv(k string) string { return e.vars[k] }

func (e *runnerEnv) options() Options {
	return Options{Getenv: e.getenv, Stdout: &e.stdout, Version: "test"}
}

// outputs parses GITHUB_OUTPUT (name<<DELIMITER\nvalue\nDELIMITER).
func (e *runnerEnv) outputs() map[string]string {
	e.t.Helper()
	b, err := os.ReadFile(e.vars["GITHUB_OUTPUT"])
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]string{}
	lines := strings.Split(string(b), "\n")
	for i := 0; i < len(lines); i++ {
		name, delim, ok := strings.Cut(lines[i], "<<")
		if !ok {
			continue
		}
		var val []string
		for i++; i < len(lines) && lines[i] != delim; i++ {
			val = append(val, lines[i])
		}
		if _, dup := out[name]; dup {
			e.t.Errorf("output %s set twice", name)
		}
		out[name] = strings.Join(val, "\n")
	}
	return out
}

func (e *runnerEnv) summary() string {
	b, err := os.ReadFile(e.vars["GITHUB_STEP_SUMMARY"])
	if err != nil && !os.IsNotExist(err) {
		e.t.Fatal(err)
	}
	return string(b)
}

// reset empties the runner files, as a new step starts with new ones.
func (e *runnerEnv) reset() {
	for _, k := range []string{"GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY"} {
		os.Remove(e.vars[k])
	}
	e.stdout = syncBuffer{}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// fakeImages stands for the build and the loader: it "builds" each side
// into a reference and serves an inventory for it, failing the test on a
// reference it does not know.
type fakeImages struct {
	t          *testing.T
	base, head *inventory.Inventory
	got        build.Options
}

func (f *fakeImages) build(_ context.Context, o build.Options) (*build.Result, error) {
	f.got = o
	return &build.Result{
		Base: build.Side{Ref: "docker-archive:/work/base.tar", Commit: o.BaseRef, Built: true},
		Head: build.Side{Ref: "docker-archive:/work/head.tar", Commit: headSHA, Built: true},
	}, nil
}

func (f *fakeImages) load(_ context.Context, base, head string, _ load.Options) (*inventory.Inventory, *inventory.Inventory, error) {
	if base != "docker-archive:/work/base.tar" || head != "docker-archive:/work/head.tar" {
		f.t.Fatalf("unexpected references %q %q", base, head)
	}
	return f.base, f.head, nil
}

func (f *fakeImages) install(o *Options) {
	o.build, o.load = f.build, f.load
}

// recordedEvent is the recorded webhook payload file (../shared/fixtures/
// github/webhooks) changed by edit, which gets the payload and its
// pull_request: no recording has a Dependabot pull request, or commits of
// a test's repository, so tests derive them and say how.
func recordedEvent(t *testing.T, file string, edit func(ev, pr map[string]any)) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtures.Shared(t, "fixtures", "github", "webhooks"), file))
	if err != nil {
		t.Fatal(err)
	}
	var ev map[string]any
	if err := json.Unmarshal(b, &ev); err != nil {
		t.Fatal(err)
	}
	pr, _ := ev["pull_request"].(map[string]any)
	edit(ev, pr)
	out, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// dependabotEvent is the recorded synchronize payload as Dependabot's
// pull request number n from branch, at base and head.
func dependabotEvent(t *testing.T, n int, title, branch, base, head string, more func(pr map[string]any)) []byte {
	t.Helper()
	return recordedEvent(t, "pull_request.synchronize.json", func(ev, pr map[string]any) {
		ev["number"], pr["number"] = n, n
		pr["title"] = title
		pr["user"].(map[string]any)["login"] = "dependabot[bot]"
		pr["user"].(map[string]any)["type"] = "Bot"
		pr["head"].(map[string]any)["ref"] = branch
		pr["head"].(map[string]any)["sha"] = head
		pr["base"].(map[string]any)["ref"] = "main"
		pr["base"].(map[string]any)["sha"] = base
		if more != nil {
			more(pr)
		}
	})
}
