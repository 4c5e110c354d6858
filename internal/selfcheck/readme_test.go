package selfcheck

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/imagedrift/imagedrift/internal/golden"
	"github.com/imagedrift/imagedrift/internal/risk"
)

// root is the repository, two levels up from this package.
const root = "../.."

// readmeWorkflows returns the ```yaml blocks between the workflow markers
// of README.md.
func readmeWorkflows(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	start, end := strings.Index(s, "<!-- workflows:start -->"), strings.Index(s, "<!-- workflows:end -->")
	if start < 0 || end < start {
		t.Fatal("README.md has no workflows:start … workflows:end section")
	}
	var blocks []string
	for _, m := range yamlBlockRe.FindAllStringSubmatch(s[start:end], -1) {
		blocks = append(blocks, m[1])
	}
	return blocks
}

var yamlBlockRe = regexp.MustCompile("(?s)\n```yaml\n(.*?)\n```\n")

// TestReadmeWorkflowsActionlint runs actionlint on every workflow of the
// README, each as its own file.
func TestReadmeWorkflowsActionlint(t *testing.T) {
	blocks := readmeWorkflows(t)
	bin, err := exec.LookPath("actionlint")
	if err != nil {
		t.Skip("actionlint is not on PATH (.ci/run installs it; locally: GOBIN=/var/tmp/imagedrift-tools go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12)")
	}
	dir := filepath.Join(t.TempDir(), ".github", "workflows")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var files []string
	for i, b := range blocks {
		f := filepath.Join(dir, "readme-"+string(rune('a'+i))+".yml")
		if err := os.WriteFile(f, []byte(b+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	cmd := exec.Command(bin, append([]string{"-no-color", "-shellcheck=", "-pyflakes="}, files...)...)
	cmd.Dir = filepath.Dir(filepath.Dir(dir))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("actionlint: %v\n%s", err, out)
	}
}

// TestReadmeWorkflowsShape checks what actionlint does not: the seven
// setups are there, each pins third-party actions by commit, says which
// permissions it needs, and has a concurrency group per pull request (per
// branch for a scheduled watch).
func TestReadmeWorkflowsShape(t *testing.T) {
	blocks := readmeWorkflows(t)
	if len(blocks) < 8 { // seven setups, the fork-safe one in two workflows
		t.Fatalf("%d workflows in README.md, want the seven setups (eight files)", len(blocks))
	}
	events := map[string]bool{}
	modes := map[string]bool{}
	for i, b := range blocks {
		var wf struct {
			On          map[string]any         `yaml:"on"`
			Permissions map[string]string      `yaml:"permissions"`
			Concurrency struct{ Group string } `yaml:"concurrency"`
			Jobs        map[string]struct {
				Steps []struct {
					Uses string            `yaml:"uses"`
					With map[string]string `yaml:"with"`
				} `yaml:"steps"`
			} `yaml:"jobs"`
		}
		if err := yaml.Unmarshal([]byte(b), &wf); err != nil {
			t.Fatalf("workflow %d: %v", i+1, err)
		}
		for e := range wf.On {
			events[e] = true
		}
		if len(wf.Permissions) == 0 {
			t.Errorf("workflow %d sets no permissions", i+1)
		}
		for _, line := range strings.Split(b, "\n") {
			if strings.Contains(line, ": read") || strings.Contains(line, ": write") {
				if !strings.Contains(line, " # ") {
					t.Errorf("workflow %d: permission %q does not say why", i+1, strings.TrimSpace(line))
				}
			}
		}
		g := wf.Concurrency.Group
		_, scheduled := wf.On["schedule"]
		switch {
		case scheduled && !strings.Contains(g, "github.ref"):
			t.Errorf("workflow %d: concurrency group %q is not per branch", i+1, g)
		case !scheduled && !strings.Contains(g, "pull_request.number") && !strings.Contains(g, "workflow_run.head_branch"):
			t.Errorf("workflow %d: concurrency group %q is not per pull request", i+1, g)
		}
		uses := 0
		for _, j := range wf.Jobs {
			for _, s := range j.Steps {
				switch {
				case s.Uses == "":
				case s.Uses == "imagedrift/imagedrift@v1":
					uses++
					modes[s.With["mode"]] = true
				case !pinnedRe.MatchString(s.Uses):
					t.Errorf("workflow %d: %s is not pinned by commit", i+1, s.Uses)
				}
			}
		}
		if uses == 0 {
			t.Errorf("workflow %d does not use imagedrift/imagedrift@v1", i+1)
		}
	}
	for _, e := range []string{"pull_request", "workflow_run", "merge_group", "schedule", "workflow_dispatch"} {
		if !events[e] {
			t.Errorf("no workflow runs on %s", e)
		}
	}
	if !modes["report"] || !modes["comment"] {
		t.Errorf("the two-workflow setup is missing: modes %v", modes)
	}
	if !modes["watch"] {
		t.Errorf("the scheduled watch is missing: modes %v", modes)
	}
}

var pinnedRe = regexp.MustCompile(`^[\w.-]+/[\w./-]+@[0-9a-f]{40}$`)

// TestReadmeCommentExample: the comment shown in the README is the one
// the example images give today (cmd/imagedrift's golden Markdown); with
// -update the README is rewritten from it.
func TestReadmeCommentExample(t *testing.T) {
	readme := filepath.Join(root, "README.md")
	b, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(root, "cmd", "imagedrift", "testdata", "example-diff.markdown"))
	if err != nil {
		t.Fatal(err)
	}
	const start, end = "<!-- comment-example:start -->\n", "\n<!-- comment-example:end -->"
	s := string(b)
	i, j := strings.Index(s, start), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatal("README.md has no comment-example:start … comment-example:end section")
	}
	var quoted []string
	for _, line := range strings.Split(strings.TrimRight(string(md), "\n"), "\n") {
		if line == "" {
			quoted = append(quoted, ">")
		} else {
			quoted = append(quoted, "> "+line)
		}
	}
	want := strings.Join(quoted, "\n")
	if got := s[i+len(start) : j]; got != want {
		if *golden.Update {
			if err := os.WriteFile(readme, []byte(s[:i+len(start)]+want+s[j:]), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("the README's example comment is not what the example images give (go test ./... -update rewrites it)")
	}
}

// TestReadmeRiskIDs checks that README.md names every risk id.
func TestReadmeRiskIDs(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range risk.IDs {
		if !strings.Contains(string(b), "`"+id+"`") {
			t.Errorf("README.md does not name the risk id %s", id)
		}
	}
}
