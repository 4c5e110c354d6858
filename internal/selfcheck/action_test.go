package selfcheck

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/imagedrift/imagedrift/internal/action"
)

// actionMeta is the part of action.yml the checks read.
type actionMeta struct {
	Name        string            `yaml:"name"`
	Description string            `yaml:"description"`
	Author      string            `yaml:"author"`
	Branding    map[string]string `yaml:"branding"`
	Inputs      map[string]struct {
		Description string  `yaml:"description"`
		Required    bool    `yaml:"required"`
		Default     *string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Description string `yaml:"description"`
		Value       string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

type actionStep struct {
	ID               string            `yaml:"id"`
	Name             string            `yaml:"name"`
	Uses             string            `yaml:"uses"`
	Run              string            `yaml:"run"`
	Shell            string            `yaml:"shell"`
	WorkingDirectory string            `yaml:"working-directory"`
	If               string            `yaml:"if"`
	With             map[string]string `yaml:"with"`
	Env              map[string]string `yaml:"env"`
}

func readAction(t *testing.T) (*actionMeta, []byte, *yaml.Node) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var m actionMeta
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	var n yaml.Node
	if err := yaml.Unmarshal(b, &n); err != nil {
		t.Fatal(err)
	}
	return &m, b, &n
}

var (
	exprRe       = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)
	inputRefRe   = regexp.MustCompile(`\binputs\.([A-Za-z0-9_-]+)`)
	stepOutputRe = regexp.MustCompile(`^steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)$`)
	shaPinRe     = regexp.MustCompile(`^[\w.-]+/[\w./-]+@[0-9a-f]{40}$`)
)

// TestActionInputsOutputs: the inputs and outputs action.yml declares are
// the ones the action reads and sets, every input reaches the program as
// INPUT_<NAME> (a composite action does not set those itself), and every
// reference is to something declared.
func TestActionInputsOutputs(t *testing.T) {
	m, raw, _ := readAction(t)
	if m.Runs.Using != "composite" {
		t.Fatalf("runs.using %q, want composite", m.Runs.Using)
	}
	var declared []string
	for name, in := range m.Inputs {
		declared = append(declared, name)
		if strings.TrimSpace(in.Description) == "" || in.Required || in.Default == nil {
			t.Errorf("input %s: want a description, required: false and a default", name)
		}
	}
	slices.Sort(declared)
	want := slices.Sorted(slices.Values(action.InputNames))
	if !slices.Equal(declared, want) {
		t.Errorf("action.yml inputs %v, the action reads %v", declared, want)
	}
	for _, ref := range inputRefRe.FindAllStringSubmatch(string(raw), -1) {
		if _, ok := m.Inputs[ref[1]]; !ok {
			t.Errorf("action.yml uses inputs.%s, which it does not declare", ref[1])
		}
	}
	// The step that runs the program maps every input, by the name the
	// runner would give it.
	var run *actionStep
	for i := range m.Runs.Steps {
		if strings.Contains(m.Runs.Steps[i].Run, " action") {
			run = &m.Runs.Steps[i]
		}
	}
	if run == nil || run.ID == "" {
		t.Fatal("no step with an id runs imagedrift action")
	}
	for _, name := range action.InputNames {
		env := "INPUT_" + strings.ToUpper(name)
		if got, want := run.Env[env], "${{ inputs."+name+" }}"; got != want {
			t.Errorf("%s = %q, want %q", env, got, want)
		}
	}
	inputs := 0
	for k := range run.Env {
		if strings.HasPrefix(k, "INPUT_") {
			inputs++
		}
	}
	if inputs != len(action.InputNames) {
		t.Errorf("the run step sets %d INPUT_ variables for %d inputs", inputs, len(action.InputNames))
	}
	var outs []string
	for name, o := range m.Outputs {
		outs = append(outs, name)
		mm := stepOutputRe.FindStringSubmatch(strings.TrimSpace(exprRe.ReplaceAllString(o.Value, "$1")))
		if strings.TrimSpace(o.Description) == "" || mm == nil || mm[1] != run.ID || mm[2] != name {
			t.Errorf("output %s: value %q, want ${{ steps.%s.outputs.%s }} and a description", name, o.Value, run.ID, name)
		}
	}
	slices.Sort(outs)
	if want := slices.Sorted(slices.Values(action.OutputNames)); !slices.Equal(outs, want) {
		t.Errorf("action.yml outputs %v, the action sets %v", outs, want)
	}
}

// TestActionSteps: third-party actions pinned by commit with the version
// in a comment, a shell for every run step, and the CLI either downloaded
// from a release and checked against the committed checksum, or, when that
// step installed nothing, built from the action's own source, locked by
// go.sum, only when no cached binary of that source exists.
func TestActionSteps(t *testing.T) {
	m, _, node := readAction(t)
	comments := usesComments(node)
	built := false
	for i, s := range m.Runs.Steps {
		switch {
		case s.Uses != "":
			if !shaPinRe.MatchString(s.Uses) {
				t.Errorf("step %d: %s is not pinned by a commit SHA", i+1, s.Uses)
			}
			if !regexp.MustCompile(`^# v\d+\.\d+\.\d+$`).MatchString(comments[s.Uses]) {
				t.Errorf("step %d: %s has no version comment (got %q)", i+1, s.Uses, comments[s.Uses])
			}
		case s.Run != "":
			if s.Shell == "" {
				t.Errorf("step %d runs without a shell", i+1)
			}
			if strings.Contains(s.Run, "${{") {
				t.Errorf("step %d expands an expression inside its script; pass it through env", i+1)
			}
		}
		if strings.Contains(s.Run, "go build -trimpath") && strings.Contains(s.Run, "./cmd/imagedrift") &&
			s.WorkingDirectory == "${{ github.action_path }}" {
			built = true
		}
	}
	if !built {
		t.Error("no step builds ./cmd/imagedrift in ${{ github.action_path }}")
	}
	var locate, download, setup, cache, run *actionStep
	order := map[*actionStep]int{}
	for i, st := range m.Runs.Steps {
		p := &m.Runs.Steps[i]
		order[p] = i
		switch {
		case strings.HasPrefix(st.Uses, "actions/setup-go@"):
			setup = p
		case strings.HasPrefix(st.Uses, "actions/cache@"):
			cache = p
		case strings.Contains(st.Run, ".github/release/download.sh"):
			download = p
		case strings.Contains(st.Run, "echo \"key="):
			locate = p
		case strings.Contains(st.Run, " action"):
			run = p
		}
		// The binary must not sit where the default report directory goes.
		if strings.Contains(st.Run, `-o "$RUNNER_TEMP/imagedrift"`) {
			t.Errorf("step %d builds the CLI to $RUNNER_TEMP/imagedrift, the default report-dir", i+1)
		}
	}
	if setup == nil || setup.With["go-version-file"] != "${{ github.action_path }}/go.mod" || setup.With["cache"] != "false" {
		t.Errorf("setup-go step %+v: want the action's go.mod and setup-go's own cache off (it hashes only workspace files)", setup)
	}
	if cache == nil || cache.ID == "" || !strings.Contains(cache.With["key"], "steps.") {
		t.Fatalf("cache step %+v: want the binary cached under a key computed from the action's source", cache)
	}
	// The key is the hash a release records of its source, so that the
	// cache and the release agree on what "this source" is.
	if locate == nil || locate.ID == "" || !strings.Contains(locate.Run, "bash .github/release/build.sh source-hash") {
		t.Fatalf("no step computes the cache key with .github/release/build.sh source-hash")
	}
	// The download runs first, in the action's tree (the committed
	// checksums are there), on the ref the workflow pinned, into the folder
	// the run step takes the binary from.
	if download == nil || download.ID == "" || download.If != "" || download.Shell != "bash" ||
		download.WorkingDirectory != "${{ github.action_path }}" ||
		download.Env["IMAGEDRIFT_REF"] != "${{ github.action_ref }}" ||
		download.Env["CLI_DIR"] != "${{ steps."+locate.ID+".outputs.dir }}" || order[download] > order[cache] {
		t.Fatalf("download step %+v: want bash .github/release/download.sh before the cache, in the action's path, with IMAGEDRIFT_REF and CLI_DIR", download)
	}
	if run == nil || run.If != "" || run.Env["CLI_DIR"] != download.Env["CLI_DIR"] {
		t.Errorf("the run step %+v must run on every path, from the folder the binary was put in", run)
	}
	// Nothing of the source build runs once a verified binary is installed.
	installed := "steps." + download.ID + ".outputs.installed != 'true'"
	if cache.If != installed {
		t.Errorf("the cache step runs when a release binary was installed (if %q, want %q)", cache.If, installed)
	}
	miss := installed + " && steps." + cache.ID + ".outputs.cache-hit != 'true'"
	for _, st := range m.Runs.Steps {
		if (st.Uses == setup.Uses || strings.Contains(st.Run, "go build")) && st.If != miss {
			t.Errorf("step %q runs on a download or a cache hit too (if %q, want %q)", st.Name, st.If, miss)
		}
	}
}

// usesComments maps each uses: value to its line comment.
func usesComments(n *yaml.Node) map[string]string {
	out := map[string]string{}
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == "uses" {
					out[n.Content[i+1].Value] = n.Content[i+1].LineComment
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return out
}
