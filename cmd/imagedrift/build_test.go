package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/build/buildtest"
)

// runCLI runs the command line with captured streams.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, defaultDeps(), streams{In: strings.NewReader(""), Out: &out, Err: &errOut})
	return code, out.String(), errOut.String()
}

// buildEnv clears the GitHub Actions variables the command reads.
func buildEnv(t *testing.T) {
	t.Setenv("GITHUB_EVENT_NAME", "")
	t.Setenv("GITHUB_ACTIONS", "")
}

func TestBuildUsage(t *testing.T) {
	buildEnv(t)
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"help", []string{"build", "-h"}, 0, "usage: imagedrift build"},
		{"no base", []string{"build"}, 2, "imagedrift: build needs the base: --base-ref COMMIT or --base-image REF"},
		{"twice with a base", []string{"build", "--twice", "--base-ref", "main"}, 2, "--twice builds the head twice"},
		{"twice, print refs", []string{"build", "--twice", "--print-refs"}, 2, "takes no --base-ref, --base-image, --head-image or --print-refs"},
		{"unknown flag", []string{"build", "--base-ref", "main", "--push"}, 2, "flag provided but not defined: -push"},
		{"positional argument", []string{"build", "--base-ref", "main", "extra"}, 2, `build takes no arguments, got "extra"`},
		{"bad build arg, value not shown", []string{"build", "--base-image", "a", "--head-image", "b",
			"--build-arg", "A=1", "--build-arg", "ghp_SECRETVALUE"}, 2, "build argument 2: expected KEY=VALUE"},
		{"absolute Dockerfile", []string{"build", "--base-image", "a", "--head-image", "b", "--file", "/etc/passwd"}, 2, "must be relative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tt.args...)
			if code != tt.wantCode || !strings.Contains(stderr, tt.wantErr) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tt.wantCode, tt.wantErr)
			}
			if strings.Contains(stderr, "SECRET") {
				t.Errorf("stderr shows a build-argument value: %q", stderr)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
		})
	}
}

func TestBuildSuppliedImages(t *testing.T) {
	buildEnv(t)
	code, stdout, stderr := runCLI(t, "build", "--print-refs", "--base-image", "docker-archive:/a/base.tar", "--head-image", "registry.example/app:2")
	if code != 0 || stdout != "base=docker-archive:/a/base.tar\nhead=registry.example/app:2\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// newCLIRepo makes a pull request whose head adds a file and takes a label
// from a build argument.
func newCLIRepo(t *testing.T) (dir, base string) {
	t.Helper()
	repo := buildtest.NewRepo(t)
	repo.Write(map[string]string{
		"docker/Dockerfile": "FROM scratch\nARG REVISION\nLABEL org.opencontainers.image.revision=$REVISION\nCOPY files/ /srv/\n",
		"files/a.txt":       "a\n",
	})
	base = repo.Commit("base")
	repo.Write(map[string]string{"files/b.txt": "b\n"})
	repo.Commit("head")
	return repo.Dir, base
}

func TestBuildCommand(t *testing.T) {
	buildtest.RequireDocker(t)
	buildEnv(t)
	dir, base := newCLIRepo(t)
	work := t.TempDir()
	code, stdout, stderr := runCLI(t, "build", "--print-refs", "--repo", dir, "--file", "docker/Dockerfile",
		"--base-ref", base, "--work-dir", work, "--build-arg", "REVISION=r42-secret")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if stderr != "" {
		t.Errorf("stderr %q: the build output is shown although stderr is no terminal", stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "base=docker-archive:"+work) || !strings.HasPrefix(lines[1], "head=docker-archive:"+work) {
		t.Fatalf("stdout %q: want base= and head= archive references in %s", stdout, work)
	}
	want := map[string][]string{"base": {"srv/a.txt"}, "head": {"srv/a.txt", "srv/b.txt"}}
	for _, line := range lines {
		side, ref, _ := strings.Cut(line, "=")
		img := buildtest.Open(t, ref)
		files := buildtest.Files(t, img)
		if len(files) != len(want[side]) {
			t.Errorf("%s files %v, want %v", side, files, want[side])
		}
		for _, f := range want[side] {
			if _, ok := files[f]; !ok {
				t.Errorf("%s lacks %s", side, f)
			}
		}
		if rev := buildtest.Config(t, img).Config.Labels["org.opencontainers.image.revision"]; rev != "r42-secret" {
			t.Errorf("%s revision label %q: the --build-arg did not reach the build", side, rev)
		}
	}
	if wts := buildtest.Worktrees(t, dir); len(wts) != 1 {
		t.Errorf("worktrees left: %q", wts)
	}
}

// TestBuildThenDiff: without --print-refs, build goes on to diff the two
// images, with the head's Dockerfile linted and the policy applied.
func TestBuildThenDiff(t *testing.T) {
	buildtest.RequireDocker(t)
	buildEnv(t)
	dir, base := newCLIRepo(t)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	code, stdout, stderr := runCLI(t, "build", "--repo", dir, "--file", "docker/Dockerfile", "--base-ref", base,
		"--build-arg", "REVISION=r42", "--format", "json", "--fail-on", "package-added,lint:arg-not-recorded")
	if code != 0 {
		t.Fatalf("exit %d, want 0 (no package changes, the ARG is recorded in a LABEL): %s", code, stderr)
	}
	var r struct {
		Base, Head struct{ Ref string }
		Files      struct{ Added, Removed, Modified int }
		Lint       []struct{ Rule string }
	}
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	if r.Files.Added != 1 || r.Files.Removed != 0 {
		t.Errorf("files %+v, want the one file the head adds", r.Files)
	}
	if !strings.HasPrefix(r.Base.Ref, "docker/Dockerfile@"+base[:12]) || !strings.HasPrefix(r.Head.Ref, "docker/Dockerfile@") {
		t.Errorf("sides named %q and %q, want the Dockerfile and commit", r.Base.Ref, r.Head.Ref)
	}
	if len(r.Lint) != 0 {
		t.Errorf("lint findings %+v on a FROM scratch Dockerfile that records its ARG", r.Lint)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "imagedrift-build-*")); len(left) != 0 {
		t.Errorf("work directories left after the diff: %q", left)
	}
	// The head doubles the image's 2 bytes: size-increase, over the default 10 %.
	code, _, stderr = runCLI(t, "build", "--repo", dir, "--file", "docker/Dockerfile", "--base-ref", base, "--fail-on", "size-increase")
	if code != 1 || !strings.Contains(stderr, "policy failed") || !strings.Contains(stderr, "size-increase") {
		t.Errorf("exit %d, stderr %q; want 1, failed on size-increase", code, stderr)
	}
}

func TestBuildCommandProgressAndFailure(t *testing.T) {
	buildtest.RequireDocker(t)
	buildEnv(t)
	repo := buildtest.NewRepo(t)
	repo.Write(map[string]string{"Dockerfile": "FROM scratch\nCOPY files/ /\n", "files/a": "a\n"})
	base := repo.Commit("base")
	repo.Write(map[string]string{"Dockerfile": "FROM scratch\nCOPY no-such-dir/ /\n"})
	head := repo.Commit("head breaks the build")

	t.Run("quiet: the tail explains", func(t *testing.T) {
		code, stdout, stderr := runCLI(t, "build", "--repo", repo.Dir, "--base-ref", base, "--work-dir", t.TempDir())
		if code != 2 || stdout != "" {
			t.Fatalf("exit %d, stdout %q; want 2 and nothing", code, stdout)
		}
		if !strings.Contains(stderr, "last lines of the head build:") || !strings.Contains(stderr, "no-such-dir") {
			t.Errorf("stderr lacks the end of the build output:\n%s", stderr)
		}
		if want := "imagedrift: build head image (commit " + head[:12] + ")"; !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	})
	t.Run("GitHub Actions: grouped output", func(t *testing.T) {
		t.Setenv("GITHUB_ACTIONS", "true")
		code, _, stderr := runCLI(t, "build", "--repo", repo.Dir, "--base-ref", base, "--work-dir", t.TempDir())
		if code != 2 {
			t.Fatalf("exit %d, want 2", code)
		}
		for _, want := range []string{"::group::Build base image (commit " + base[:12] + ")", "::group::Build head image", "::endgroup::"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, stderr)
			}
		}
		if strings.Contains(stderr, "last lines of") {
			t.Error("the tail is repeated although the output was shown")
		}
	})
	t.Run("pull_request_target refused", func(t *testing.T) {
		t.Setenv("GITHUB_EVENT_NAME", "pull_request_target")
		work := t.TempDir()
		code, _, stderr := runCLI(t, "build", "--repo", repo.Dir, "--base-ref", base, "--work-dir", work)
		if code != 2 || !strings.Contains(stderr, "allow-untrusted-build: true") {
			t.Errorf("exit %d, stderr %q; want the refusal naming the opt-in", code, stderr)
		}
		if ents, _ := os.ReadDir(work); len(ents) != 0 {
			t.Errorf("the refused build wrote %d entries", len(ents))
		}
	})
	t.Run("default work dir removed after a failure", func(t *testing.T) {
		tmp := t.TempDir()
		t.Setenv("TMPDIR", tmp)
		if code, _, _ := runCLI(t, "build", "--repo", repo.Dir, "--base-ref", base); code != 2 {
			t.Fatalf("exit %d, want 2", code)
		}
		if left, _ := filepath.Glob(filepath.Join(tmp, "imagedrift-build-*")); len(left) != 0 {
			t.Errorf("work directories left: %q", left)
		}
	})
}
