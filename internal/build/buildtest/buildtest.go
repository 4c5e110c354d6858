// Package buildtest makes the git repositories and reads the image archives
// that the tests of the build stage and of its command share.
package buildtest

import (
	"archive/tar"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// RequireDocker skips the test when the Docker engine does not answer.
func RequireDocker(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "docker", "info").CombinedOutput(); err != nil {
		t.Skipf("the Docker engine is not reachable (docker info: %v): %s", err, firstLine(string(out)))
	}
}

// Git runs git in dir with a fixed identity and no user configuration,
// failing the test on error, and returns the trimmed output.
func Git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	// An empty global configuration of the test's own, not the host's
	// /dev/null: the test must not depend on what that device is.
	global := filepath.Join(t.TempDir(), "gitconfig")
	if err := os.WriteFile(global, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd.Env = append(os.Environ(),
		"GIT_CONFIG_GLOBAL="+global, "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=Test", "GIT_COMMITTER_EMAIL=test@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// Repo is a git repository in a temporary directory.
type Repo struct {
	Dir string
	t   testing.TB
}

// NewRepo makes an empty repository on branch main.
func NewRepo(t testing.TB) *Repo {
	t.Helper()
	r := &Repo{Dir: t.TempDir(), t: t}
	Git(t, r.Dir, "init", "-q", "-b", "main")
	return r
}

// Write writes files (path → content) into the working tree.
func (r *Repo) Write(files map[string]string) {
	r.t.Helper()
	for p, content := range files {
		full := filepath.Join(r.Dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			r.t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			r.t.Fatal(err)
		}
	}
}

// Remove deletes paths from the working tree.
func (r *Repo) Remove(paths ...string) {
	r.t.Helper()
	for _, p := range paths {
		if err := os.RemoveAll(filepath.Join(r.Dir, filepath.FromSlash(p))); err != nil {
			r.t.Fatal(err)
		}
	}
}

// Commit records the whole working tree and returns the commit's SHA.
func (r *Repo) Commit(msg string) string {
	r.t.Helper()
	Git(r.t, r.Dir, "add", "-A")
	Git(r.t, r.Dir, "commit", "-q", "--allow-empty", "-m", msg)
	return Git(r.t, r.Dir, "rev-parse", "HEAD")
}

// Worktrees lists the repository's worktrees (the main one included).
func Worktrees(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	for _, line := range strings.Split(Git(t, dir, "worktree", "list", "--porcelain"), "\n") {
		if p, ok := strings.CutPrefix(line, "worktree "); ok {
			out = append(out, p)
		}
	}
	return out
}

// Open opens a "docker-archive:PATH" reference.
func Open(t testing.TB, ref string) v1.Image {
	t.Helper()
	path, ok := strings.CutPrefix(ref, "docker-archive:")
	if !ok {
		t.Fatalf("reference %q is not a docker-archive", ref)
	}
	img, err := tarball.ImageFromPath(path, nil)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	return img
}

// Tags returns the tags recorded in a docker-archive.
func Tags(t testing.TB, ref string) []string {
	t.Helper()
	path := strings.TrimPrefix(ref, "docker-archive:")
	m, err := tarball.LoadManifest(func() (io.ReadCloser, error) { return os.Open(path) })
	if err != nil {
		t.Fatalf("manifest of %s: %v", path, err)
	}
	var tags []string
	for _, d := range m {
		for _, tag := range d.RepoTags {
			if _, err := name.NewTag(tag); err == nil {
				tags = append(tags, tag)
			}
		}
	}
	return tags
}

// Files reads the flattened file system of img without writing it to
// disk: path (without a leading slash) → content of each regular file.
// Files over 1 MiB are recorded empty.
func Files(t testing.TB, img v1.Image) map[string]string {
	t.Helper()
	rc := mutate.Extract(img)
	defer rc.Close()
	files := map[string]string{}
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return files
		}
		if err != nil {
			t.Fatalf("read image file system: %v", err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		p := strings.TrimPrefix(filepath.Clean("/"+h.Name), "/")
		if h.Size > 1<<20 {
			files[p] = ""
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatalf("read %s: %v", h.Name, err)
		}
		files[p] = string(b)
	}
}

// Config returns the image's configuration.
func Config(t testing.TB, img v1.Image) *v1.ConfigFile {
	t.Helper()
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatalf("image config: %v", err)
	}
	return cf
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}
