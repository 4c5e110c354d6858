package build

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/imagedrift/imagedrift/internal/build/buildtest"
)

// testdata reads a fixture: real files from a Debian system.
func testdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const baseDockerfile = `FROM scratch
ARG VERSION=dev
LABEL org.opencontainers.image.version=$VERSION
COPY rootfs/ /
`

// newPR makes a repository whose base commit copies a small Debian root
// file system and whose head commit adds a package, a file and removes
// another, as a pull request that bumps an image would.
func newPR(t *testing.T) (repo *buildtest.Repo, base, head string) {
	t.Helper()
	repo = buildtest.NewRepo(t)
	repo.Write(map[string]string{
		"Dockerfile":                       baseDockerfile,
		"rootfs/etc/os-release":            testdata(t, "os-release"),
		"rootfs/etc/legacy.conf":           "legacy=1\n",
		"rootfs/var/lib/dpkg/status":       testdata(t, "status-hostname"),
		"rootfs/usr/share/doc/hostname/NE": "hostname notes\n",
	})
	base = repo.Commit("base")
	repo.Write(map[string]string{
		"rootfs/var/lib/dpkg/status": testdata(t, "status-hostname") + testdata(t, "status-debianutils"),
		"rootfs/usr/bin/which":       "#!/bin/sh\n# which\n",
	})
	repo.Remove("rootfs/etc/legacy.conf")
	head = repo.Commit("head")
	return repo, base, head
}

// syncBuffer is a log that tests read while nothing writes any more.
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

// dockerClients lists the distinct docker binaries on PATH, so every
// client the machine has (one with buildx, an old one with BuildKit built
// in, a new one without) is tested.
func dockerClients(t *testing.T) []string {
	seen := map[string]bool{}
	var out []string
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		p := filepath.Join(dir, "docker")
		real, err := filepath.EvalSymlinks(p)
		if err != nil || seen[real] {
			continue
		}
		if fi, err := os.Stat(real); err != nil || fi.Mode()&0o111 == 0 {
			continue
		}
		seen[real] = true
		out = append(out, p)
	}
	if len(out) == 0 {
		t.Skip("no docker binary on PATH")
	}
	return out
}

// workDirEntries lists what Build left in the work directory.
func workDirEntries(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

// assertClean checks that the base worktree is gone: from git and from disk.
func assertClean(t *testing.T, repoDir, workDir string) {
	t.Helper()
	if wts := buildtest.Worktrees(t, repoDir); len(wts) != 1 {
		t.Errorf("worktrees left behind: %q", wts)
	}
	for _, n := range workDirEntries(t, workDir) {
		if strings.HasPrefix(n, "base-src-") {
			t.Errorf("worktree directory %s left in the work directory", n)
		}
	}
}

// assertTagsGone checks that the temporary tags recorded in an archive no
// longer exist in the engine.
func assertTagsGone(t *testing.T, docker, ref string) {
	t.Helper()
	for _, tag := range buildtest.Tags(t, ref) {
		if !strings.HasPrefix(tag, "imagedrift-tmp/") {
			t.Errorf("archive tag %q is not a temporary imagedrift tag", tag)
		}
		if err := exec.Command(docker, "image", "inspect", tag).Run(); err == nil {
			t.Errorf("temporary tag %s is still in the engine", tag)
		}
	}
}
