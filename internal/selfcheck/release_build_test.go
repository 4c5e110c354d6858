package selfcheck

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/imagedrift/imagedrift/internal/build/buildtest"
)

// toolsDir is where .ci/run installs actionlint; the tests look there too.
const toolsDir = "/var/tmp/imagedrift-tools"

func lookTool(t *testing.T, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if p := filepath.Join(toolsDir, name); isExecutable(p) {
		return p
	}
	return ""
}

func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// TestWorkflowsActionlint runs actionlint on the repository's own
// workflows, with shellcheck on their scripts where it is installed.
func TestWorkflowsActionlint(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(root, ".github", "workflows", "*.yml"))
	if len(files) == 0 {
		t.Fatal("no workflows in .github/workflows")
	}
	bin := lookTool(t, "actionlint")
	if bin == "" {
		t.Skip("actionlint is not on PATH (.ci/run installs it; locally: GOBIN=/var/tmp/imagedrift-tools go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12)")
	}
	args := []string{"-no-color", "-pyflakes="}
	for _, f := range files {
		args = append(args, filepath.Join(".github", "workflows", filepath.Base(f)))
	}
	// From the repository's root, where actionlint finds its configuration.
	cmd := exec.Command(bin, args...)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("actionlint: %v\n%s", err, out)
	}
}

// TestReleaseScriptsShellcheck: the release scripts run on runners of
// every kind; shellcheck, where installed, finds what bash would not say.
func TestReleaseScriptsShellcheck(t *testing.T) {
	bin := lookTool(t, "shellcheck")
	if bin == "" {
		t.Skip("shellcheck is not installed")
	}
	files, _ := filepath.Glob(filepath.Join(root, ".github", "release", "*.sh"))
	if out, err := exec.Command(bin, files...).CombinedOutput(); err != nil {
		t.Errorf("shellcheck: %v\n%s", err, out)
	}
}

// TestReleaseWorkflowShape checks what actionlint does not: the release
// runs on version tags only (never on a moving major tag), may write
// contents in its one job and nothing else, pins its actions, and
// publishes what build.sh verify built against the committed checksums.
func TestReleaseWorkflowShape(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, ".github", "workflows", "release.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		On struct {
			Push struct {
				Tags     []string `yaml:"tags"`
				Branches []string `yaml:"branches"`
			} `yaml:"push"`
		} `yaml:"on"`
		Permissions map[string]string `yaml:"permissions"`
		Jobs        map[string]struct {
			Permissions map[string]string `yaml:"permissions"`
			Steps       []struct {
				Uses string            `yaml:"uses"`
				Run  string            `yaml:"run"`
				With map[string]string `yaml:"with"`
				Env  map[string]string `yaml:"env"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&wf); err != nil {
		t.Fatal(err)
	}
	var n yaml.Node
	if err := yaml.Unmarshal(b, &n); err != nil {
		t.Fatal(err)
	}
	comments := usesComments(&n)
	if len(wf.On.Push.Tags) == 0 || len(wf.On.Push.Branches) > 0 {
		t.Errorf("on.push: tags %v, branches %v; want version tags only", wf.On.Push.Tags, wf.On.Push.Branches)
	}
	for _, tag := range wf.On.Push.Tags {
		if !strings.HasPrefix(tag, "v[0-9]+.[0-9]+.[0-9]+") {
			t.Errorf("tag pattern %q would also match a moving tag such as v1", tag)
		}
	}
	if len(wf.Permissions) != 0 {
		t.Errorf("workflow permissions %v, want {} (the job asks for what it needs)", wf.Permissions)
	}
	if len(wf.Jobs) != 1 {
		t.Fatalf("%d jobs, want one", len(wf.Jobs))
	}
	var script string
	for name, job := range wf.Jobs {
		if len(job.Permissions) != 1 || job.Permissions["contents"] != "write" {
			t.Errorf("job %s permissions %v, want contents: write only", name, job.Permissions)
		}
		for _, s := range job.Steps {
			script += s.Run + "\n"
			switch {
			case s.Uses == "":
			case !shaPinRe.MatchString(s.Uses) || !strings.HasPrefix(comments[s.Uses], "# v"):
				t.Errorf("%s is not pinned by commit with a # vX.Y.Z comment", s.Uses)
			case strings.HasPrefix(s.Uses, "actions/checkout@"):
				if s.With["fetch-depth"] != "0" || s.With["persist-credentials"] != "false" {
					t.Errorf("checkout %v: want the whole history (the notes) and no stored credentials", s.With)
				}
			case strings.HasPrefix(s.Uses, "actions/setup-go@"):
				if s.With["go-version-file"] != "go.mod" {
					t.Errorf("setup-go %v: want the Go of go.mod, the one build.sh builds with", s.With)
				}
			}
			if strings.Contains(s.Run, "gh release create") && s.Env["GH_TOKEN"] != "${{ github.token }}" {
				t.Errorf("gh release create runs without the job's token (GH_TOKEN %q)", s.Env["GH_TOKEN"])
			}
		}
	}
	for _, want := range []string{
		`bash .github/release/build.sh verify "$TAG"`,
		`bash .github/release/notes.sh "$TAG"`,
		`gh release create "$TAG" dist/imagedrift_* dist/checksums.txt`,
	} {
		if !strings.Contains(script, want) {
			t.Errorf("the release job does not run %s", want)
		}
	}
}

// buildEnv is the environment build.sh runs in under the tests: git with
// no user configuration.
func buildEnv(t *testing.T, extra ...string) []string {
	global := filepath.Join(t.TempDir(), "gitconfig")
	write(t, global, "")
	return cleanEnv(append([]string{"GIT_CONFIG_GLOBAL=" + global, "GIT_CONFIG_NOSYSTEM=1", "PLATFORMS=linux/amd64"}, extra...)...)
}

// buildSh runs dir's build.sh with args and returns its output and
// whether it succeeded.
func buildSh(t *testing.T, dir string, env []string, args ...string) (string, bool) {
	t.Helper()
	dir, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", append([]string{filepath.Join(dir, ".github", "release", "build.sh")}, args...)...)
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatal(err)
	}
	return string(out), err == nil
}

// TestReleaseBuildReproducible builds linux/amd64 twice with build.sh:
// from this checkout, and from a copy elsewhere with an environment that
// would change the bytes if the recipe let it through (build tags in
// GOFLAGS, cgo, another GOAMD64 level, another TMPDIR). The bytes must be
// the same, so anyone can check a release by building its tag.
// IMAGEDRIFT_REPRO_COLD=1 gives the second build an empty build cache
// too (a cold build: minutes).
func TestReleaseBuildReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the CLI twice")
	}
	a, b, other := t.TempDir(), t.TempDir(), t.TempDir()
	copyTree(t, other)
	if out, ok := buildSh(t, root, buildEnv(t), "build", "v0.0.0-repro", a); !ok {
		t.Fatalf("build.sh build: %s", out)
	}
	noise := []string{"GOFLAGS=-tags=imagedrift_noise", "CGO_ENABLED=1", "GOAMD64=v3", "TMPDIR=" + t.TempDir()}
	if os.Getenv("IMAGEDRIFT_REPRO_COLD") == "1" {
		noise = append(noise, "GOCACHE="+t.TempDir())
	}
	if out, ok := buildSh(t, other, buildEnv(t, noise...), "build", "v0.0.0-repro", b); !ok {
		t.Fatalf("build.sh build in a copy: %s", out)
	}
	sa, _ := os.ReadFile(filepath.Join(a, "checksums.txt"))
	sb, _ := os.ReadFile(filepath.Join(b, "checksums.txt"))
	if len(sa) == 0 || !bytes.Equal(sa, sb) {
		t.Fatalf("two builds of the same source differ:\n%s\n%s", sa, sb)
	}
	t.Logf("both builds: %s", sa)
}

// TestReleasePrepareVerify walks a release through build.sh in a copy of
// the repository: prepare writes the checksums and release.env, verify
// rebuilds and compares them, from the tree itself and, once the source
// has moved on, from the commit that prepared them; a checksum that does
// not match, a tag that was not prepared and a source changed after
// prepare all fail.
func TestReleasePrepareVerify(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the CLI")
	}
	dir := t.TempDir()
	copyTree(t, dir)
	os.Remove(filepath.Join(dir, ".github", "release", "release.env"))
	os.Remove(filepath.Join(dir, ".github", "release", "checksums.txt"))
	git := func(args ...string) string { return buildtest.Git(t, dir, args...) }
	git("init", "-q", "-b", "main")
	git("add", "-A")
	git("commit", "-q", "-m", "source")
	env := buildEnv(t)
	step := func(name string, wantOK bool, want string, args ...string) {
		t.Helper()
		out, ok := buildSh(t, dir, env, args...)
		if ok != wantOK || !strings.Contains(out, want) {
			t.Fatalf("%s: build.sh %s: ok %v, want %v and %q in:\n%s", name, strings.Join(args, " "), ok, wantOK, want, out)
		}
	}
	step("nothing prepared", true, "no release prepared yet", "verify")
	step("a bad version", false, "is not v<major>.<minor>.<patch>", "prepare", "9.9.9")
	step("prepare", true, "commit them, then tag that commit v9.9.9", "prepare", "v9.9.9")
	meta, _ := os.ReadFile(filepath.Join(dir, ".github", "release", "release.env"))
	sums, _ := os.ReadFile(filepath.Join(dir, ".github", "release", "checksums.txt"))
	built, _ := os.ReadFile(filepath.Join(dir, "dist", "checksums.txt"))
	if !strings.Contains(string(meta), "\nversion=v9.9.9\n") || !strings.Contains(string(meta), "\ngo=go") ||
		!bytes.Equal(sums, built) || !strings.HasSuffix(string(sums), "  imagedrift_linux_amd64\n") {
		t.Fatalf("prepare wrote release.env:\n%s\nchecksums.txt:\n%s(dist: %s)", meta, sums, built)
	}
	git("add", "-A")
	git("commit", "-q", "-m", "release v9.9.9")
	step("verify the release commit", true, "v9.9.9 rebuilds to the committed checksums", "verify")
	step("the release workflow on its tag", true, "ok   linux/amd64", "verify", "v9.9.9")
	if _, err := os.Stat(filepath.Join(dir, "dist", "imagedrift_linux_amd64")); err != nil {
		t.Errorf("verify TAG left no binary in dist/ to publish: %v", err)
	}
	step("a tag that was not prepared", false, "tag v9.9.10, but the committed checksums are for v9.9.9", "verify", "v9.9.10")

	sumsPath := filepath.Join(dir, ".github", "release", "checksums.txt")
	write(t, sumsPath, strings.Repeat("0", 64)+"  imagedrift_linux_amd64\n")
	step("a checksum the build does not give", false, "do not rebuild to the committed checksums", "verify")
	write(t, sumsPath, string(sums))

	write(t, filepath.Join(dir, "cmd", "imagedrift", "zz_later.go"), "package main\n\n// A change after the release.\n")
	step("prepare with uncommitted source", false, "uncommitted changes to the source", "prepare", "v9.9.11")
	git("add", "-A")
	git("commit", "-q", "-m", "a change after the release")
	release := git("log", "-1", "--format=%H", "HEAD^")
	step("verify after the source moved on", true, "rebuilding it from "+release, "verify")
	step("a tag on a commit after prepare", false, "is not the source prepared for v9.9.9", "verify", "v9.9.9")
	write(t, sumsPath, string(sums)+strings.Repeat("1", 64)+"  imagedrift_darwin_arm64\n")
	step("checksums edited after the release", false, "was changed after "+release, "verify")
}

// TestReleaseNotes: the notes list the commits since the previous release
// tag, merges, moving tags and, for a final release, prereleases left out.
func TestReleaseNotes(t *testing.T) {
	r := buildtest.NewRepo(t)
	notes, err := os.ReadFile(filepath.Join(root, ".github", "release", "notes.sh"))
	if err != nil {
		t.Fatal(err)
	}
	r.Write(map[string]string{".github/release/notes.sh": string(notes), ".github/release/release.env": "version=v1.1.0\ngo=go1.26.8\n"})
	git := func(args ...string) string { return buildtest.Git(t, r.Dir, args...) }
	commit := func(msg string) {
		git("add", "-A")
		git("commit", "-q", "--allow-empty", "-m", msg)
	}
	commit("first")
	git("tag", "v1.0.0")
	git("tag", "v1")
	commit("second")
	git("checkout", "-q", "-b", "topic")
	commit("on a branch")
	git("checkout", "-q", "main")
	git("merge", "-q", "--no-ff", "-m", "Merge branch topic", "topic")
	commit("third")
	git("tag", "v1.1.0-rc.1")
	commit("fourth")
	git("tag", "v1.1.0")
	git("tag", "-f", "v1")
	commit("fifth")
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("bash", append([]string{filepath.Join(r.Dir, ".github", "release", "notes.sh")}, args...)...)
		cmd.Dir = r.Dir
		cmd.Env = buildEnv(t)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("notes.sh %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	subjects := func(notes string) []string {
		var s []string
		for _, line := range strings.Split(notes, "\n") {
			if strings.HasPrefix(line, "- ") {
				s = append(s, strings.TrimSpace(line[2:strings.LastIndex(line, " (")]))
			}
		}
		return s
	}
	for _, tc := range []struct {
		args  []string
		since string
		want  string
	}{
		{[]string{"v1.1.0"}, "Changes since v1.0.0:", "fourth third on a branch second"},
		{[]string{"v1.1.0-rc.1"}, "Changes since v1.0.0:", "third on a branch second"},
		{[]string{"v1.0.0"}, "Changes (the first release):", "first"},
		{[]string{"v1.2.0", "HEAD"}, "Changes since v1.1.0:", "fifth"},
	} {
		out := run(tc.args...)
		if got := strings.Join(subjects(out), " "); got != tc.want || !strings.Contains(out, tc.since) {
			t.Errorf("notes.sh %v: %q, commits %q; want %q, %q\n%s", tc.args, firstLines(out, 3), got, tc.since, tc.want, out)
		}
		tag := tc.args[0]
		for _, want := range []string{"## imagedrift " + tag + "\n", "uses: imagedrift/imagedrift@" + tag + "\n", "sha256sum --check", "build.sh build " + tag + "` (with go1.26.8)"} {
			if !strings.Contains(out, want) {
				t.Errorf("notes.sh %v lacks %q:\n%s", tc.args, want, out)
			}
		}
	}
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}
