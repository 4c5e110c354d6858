package selfcheck

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// copyTree copies the repository's files (tracked and new, not ignored;
// test data left out) to dst, as the runner downloads the action.
func copyTree(t *testing.T, dst string) {
	t.Helper()
	out, err := exec.Command("git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		t.Skipf("not a git checkout (git ls-files: %v)", err)
	}
	for _, p := range strings.Split(string(out), "\x00") {
		if p == "" || strings.HasPrefix(p, "testdata/") || strings.Contains(p, "/testdata/") {
			continue
		}
		src := filepath.Join(root, p)
		fi, err := os.Lstat(src)
		if err != nil || !fi.Mode().IsRegular() {
			continue // deleted in the working tree, or not a file
		}
		if err := copyFile(src, filepath.Join(dst, p), fi.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
}

func copyFile(src, dst string, mode os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// runnerPlatform is RUNNER_OS and RUNNER_ARCH for this machine, and the
// asset a release has for it.
func runnerPlatform(t *testing.T) (osName, arch, asset string) {
	t.Helper()
	switch runtime.GOOS {
	case "linux":
		osName = "Linux"
	case "darwin":
		osName = "macOS"
	default:
		t.Skipf("no release binary for %s", runtime.GOOS)
	}
	switch runtime.GOARCH {
	case "amd64":
		arch = "X64"
	case "arm64":
		arch = "ARM64"
	default:
		t.Skipf("no release binary for %s", runtime.GOARCH)
	}
	return osName, arch, "imagedrift_" + runtime.GOOS + "_" + runtime.GOARCH
}

// stepRun is what one step of action.yml did under runSteps.
type stepRun struct {
	name string
	ran  bool
	log  string
	took time.Duration
}

// runSteps runs action.yml's steps the way the runner does, up to the
// step that runs imagedrift: env values with their expressions filled in
// (github.action_ref, github.action_path, earlier steps' outputs), if:
// conditions, scripts under bash -eo pipefail in their working directory,
// outputs read from GITHUB_OUTPUT. Of the actions used, the cache misses
// and setup-go leaves the Go on PATH. It returns the steps and the folder
// the run step would take the binary from.
func runSteps(t *testing.T, dir, ref string, env ...string) ([]stepRun, string) {
	t.Helper()
	m, _, _ := readAction(t)
	tmp := t.TempDir()
	osName, arch, _ := runnerPlatform(t)
	// The job's HOME is the test's own; the Go caches stay the machine's,
	// so that a build here is as warm as the test's own.
	goEnv := []string{"GOTOOLCHAIN=local", "GOFLAGS=-buildvcs=false"}
	for _, k := range []string{"GOCACHE", "GOMODCACHE", "GOPATH"} {
		out, err := exec.Command("go", "env", k).Output()
		if err != nil {
			t.Fatal(err)
		}
		goEnv = append(goEnv, k+"="+strings.TrimSpace(string(out)))
	}
	base := cleanEnv(append(append(goEnv, "HOME="+filepath.Join(tmp, "home"), "RUNNER_OS="+osName, "RUNNER_ARCH="+arch,
		"RUNNER_TEMP="+filepath.Join(tmp, "runner-temp"), "GITHUB_PATH="+filepath.Join(tmp, "path")), env...)...)
	outputs := map[string]map[string]string{}
	value := func(expr string) string {
		switch {
		case expr == "github.action_ref":
			return ref
		case expr == "github.action_path":
			return dir
		case strings.HasPrefix(expr, "steps."):
			parts := strings.Split(expr, ".")
			if len(parts) == 4 && parts[2] == "outputs" {
				return outputs[parts[1]][parts[3]]
			}
		}
		t.Fatalf("runSteps does not know the expression %q: teach it", expr)
		return ""
	}
	fill := func(s string) string {
		return exprRe.ReplaceAllStringFunc(s, func(e string) string { return value(exprRe.FindStringSubmatch(e)[1]) })
	}
	var steps []stepRun
	for i, st := range m.Runs.Steps {
		if strings.Contains(st.Run, " action") {
			return steps, fill(st.Env["CLI_DIR"])
		}
		r := stepRun{name: st.Name}
		if r.ran = condition(t, st.If, value); !r.ran {
			steps = append(steps, r)
			continue
		}
		id := st.ID
		if id == "" {
			id = "step" + string(rune('a'+i))
		}
		switch {
		case strings.HasPrefix(st.Uses, "actions/cache@"):
			outputs[id] = map[string]string{"cache-hit": "false"}
		case strings.HasPrefix(st.Uses, "actions/setup-go@"):
		case st.Uses != "":
			t.Fatalf("runSteps cannot stand in for %s: teach it", st.Uses)
		default:
			script := filepath.Join(tmp, "step.sh")
			write(t, script, st.Run)
			output := filepath.Join(tmp, "output-"+id)
			cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script)
			cmd.Dir = fill(st.WorkingDirectory)
			cmd.Env = append(append([]string(nil), base...), "GITHUB_OUTPUT="+output)
			for k, v := range st.Env {
				cmd.Env = append(cmd.Env, k+"="+fill(v))
			}
			start := time.Now()
			out, err := cmd.CombinedOutput()
			r.took, r.log = time.Since(start), string(out)
			if err != nil {
				t.Fatalf("step %q: %v\n%s", st.Name, err, out)
			}
			outputs[id] = readOutputs(t, output)
		}
		steps = append(steps, r)
	}
	t.Fatal("action.yml has no step that runs imagedrift action")
	return nil, ""
}

var condRe = regexp.MustCompile(`^(\S+) (==|!=) '([^']*)'$`)

// condition evaluates an if: of action.yml: comparisons of an expression
// with a string, joined by &&; anything else fails the test.
func condition(t *testing.T, cond string, value func(string) string) bool {
	t.Helper()
	if cond == "" {
		return true
	}
	for _, c := range strings.Split(cond, " && ") {
		m := condRe.FindStringSubmatch(strings.TrimSpace(c))
		if m == nil {
			t.Fatalf("runSteps cannot evaluate if: %s: teach it", cond)
		}
		if (value(m[1]) == m[3]) != (m[2] == "==") {
			return false
		}
	}
	return true
}

// ran lists the names of the steps that ran.
func ran(steps []stepRun) []string {
	var names []string
	for _, s := range steps {
		if s.ran {
			names = append(names, s.name)
		}
	}
	return names
}

func logs(steps []stepRun) string {
	var b strings.Builder
	for _, s := range steps {
		if s.ran {
			b.WriteString("--- " + s.name + " (" + s.took.Round(time.Millisecond).String() + ")\n" + s.log)
		}
	}
	return b.String()
}

// releasedAction is a copy of this repository prepared as release v1.2.3
// of one binary for this machine, and a server with that release.
func releasedAction(t *testing.T, serve bool) (dir, url string) {
	t.Helper()
	_, _, asset := runnerPlatform(t)
	dir = t.TempDir()
	copyTree(t, dir)
	writeRelease(t, dir, "v1.2.3", map[string]string{asset: sum(standIn)})
	assets := map[string]string{}
	if serve {
		assets["/v1.2.3/"+asset] = standIn
	}
	return dir, newReleaseServer(t, assets).URL
}

// TestActionRelease runs action.yml's own steps on a release tag: the
// binary comes from the release, nothing is built or restored.
func TestActionRelease(t *testing.T) {
	dir, url := releasedAction(t, true)
	steps, cli := runSteps(t, dir, "v1.2.3", "IMAGEDRIFT_RELEASE_URL="+url)
	if got := strings.Join(ran(steps), ", "); got != "Locate imagedrift, Download imagedrift" {
		t.Errorf("steps that ran: %s; want Locate and Download only\n%s", got, logs(steps))
	}
	if b, err := os.ReadFile(filepath.Join(cli, "imagedrift")); err != nil || string(b) != standIn {
		t.Errorf("the run step's binary is %q (%v), want the release's", b, err)
	}
	if !strings.Contains(logs(steps), "imagedrift: downloaded") {
		t.Errorf("the log does not say the binary was downloaded:\n%s", logs(steps))
	}
	t.Logf("the download path:\n%s", logs(steps))
}

// TestActionSourceBuild runs action.yml's own steps where the release has
// no binary for this machine: the log says so, then the binary cache is
// tried and the CLI built from the action's source, and it runs.
func TestActionSourceBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the CLI")
	}
	dir, url := releasedAction(t, false)
	steps, cli := runSteps(t, dir, "v1.2.3", "IMAGEDRIFT_RELEASE_URL="+url)
	if got, want := strings.Join(ran(steps), ", "), "Locate imagedrift, Download imagedrift, Restore imagedrift, Set up Go, Build imagedrift"; got != want {
		t.Errorf("steps that ran: %s; want %s\n%s", got, want, logs(steps))
	}
	for _, want := range []string{"HTTP 404", "imagedrift: building from source: no imagedrift_", "imagedrift: built v1.2.3 from source in "} {
		if !strings.Contains(logs(steps), want) {
			t.Errorf("the log lacks %q:\n%s", want, logs(steps))
		}
	}
	out, err := exec.Command(filepath.Join(cli, "imagedrift"), "version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "imagedrift v1.2.3 go") {
		t.Errorf("imagedrift version: %v: %s", err, out)
	}
	t.Logf("the source build:\n%s", logs(steps))
}
