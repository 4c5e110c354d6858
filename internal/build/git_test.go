package build

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imagedrift/imagedrift/internal/build/buildtest"
)

// shallowClone clones the head of repo at depth 1 through a bare copy, as
// actions/checkout does, so the base commit is not in the clone.
func shallowClone(t *testing.T, repo *buildtest.Repo) string {
	t.Helper()
	bare := filepath.Join(t.TempDir(), "origin.git")
	buildtest.Git(t, repo.Dir, "clone", "-q", "--bare", repo.Dir, bare)
	clone := filepath.Join(t.TempDir(), "checkout")
	buildtest.Git(t, repo.Dir, "clone", "-q", "--depth=1", "file://"+bare, clone)
	return clone
}

func TestShallowCloneFetchesBase(t *testing.T) {
	buildtest.RequireDocker(t)
	repo, base, wantHead := newPR(t)
	buildtest.Git(t, repo.Dir, "branch", "release", base)
	tests := []struct{ name, ref string }{
		{"by SHA", base},
		{"by branch name", "release"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			clone := shallowClone(t, repo)
			if err := exec.Command("git", "-C", clone, "cat-file", "-e", base).Run(); err == nil {
				t.Fatal("the shallow clone already has the base commit: the test proves nothing")
			}
			var log syncBuffer
			// The head is supplied: building it again proves nothing here.
			o := Options{RepoDir: clone, BaseRef: tt.ref, HeadImage: "app:head", WorkDir: t.TempDir(), Log: &log}
			res, err := Build(context.Background(), o)
			if err != nil {
				t.Fatalf("Build: %v\n%s", err, log.String())
			}
			if res.Base.Commit != base || !res.Base.Built {
				t.Errorf("base %+v, want built at %s", res.Base, base)
			}
			if head := buildtest.Git(t, clone, "rev-parse", "HEAD"); head != wantHead {
				t.Errorf("the clone's HEAD moved to %s, want %s", head, wantHead)
			}
			if got := buildtest.Files(t, buildtest.Open(t, res.Base.Ref))["var/lib/dpkg/status"]; got != testdata(t, "status-hostname") {
				t.Errorf("base built from the wrong tree: dpkg status %q", got)
			}
			if !strings.Contains(log.String(), "fetching it from origin") {
				t.Errorf("log does not say the base was fetched:\n%s", log.String())
			}
			assertClean(t, clone, o.WorkDir)
		})
	}
	t.Run("unknown commit", func(t *testing.T) {
		clone := shallowClone(t, repo)
		o := Options{RepoDir: clone, BaseRef: strings.Repeat("0123456789", 4), WorkDir: t.TempDir()}
		_, err := Build(context.Background(), o)
		if err == nil || !strings.Contains(err.Error(), "fetching it from origin failed") {
			t.Fatalf("error %v, want a clear fetch failure", err)
		}
		assertClean(t, clone, o.WorkDir)
	})
}

// cancelOn cancels a context when a line containing marker is logged.
type cancelOn struct {
	syncBuffer
	marker string
	cancel context.CancelFunc
}

func (c *cancelOn) Write(p []byte) (int, error) {
	n, err := c.syncBuffer.Write(p)
	if strings.Contains(c.syncBuffer.String(), c.marker) {
		c.cancel()
	}
	return n, err
}

func TestCancelRemovesWorktree(t *testing.T) {
	buildtest.RequireDocker(t)
	t.Parallel()
	repo, base, _ := newPR(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	log := &cancelOn{marker: "Build base image", cancel: cancel}
	o := Options{RepoDir: repo.Dir, BaseRef: base, WorkDir: t.TempDir(), Log: log}
	_, err := Build(ctx, o)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if !strings.Contains(err.Error(), "base image") {
		t.Errorf("error %q does not name the side", err)
	}
	assertClean(t, repo.Dir, o.WorkDir)
	if names := workDirEntries(t, o.WorkDir); len(names) != 0 {
		t.Errorf("the cancelled build left %q", names)
	}
}

func TestMergeBase(t *testing.T) {
	repo := buildtest.NewRepo(t)
	repo.Write(map[string]string{"a": "1"})
	fork := repo.Commit("fork point")
	repo.Write(map[string]string{"a": "2"})
	repo.Commit("main moves on")
	buildtest.Git(t, repo.Dir, "switch", "-q", "-c", "feature", fork)
	repo.Write(map[string]string{"b": "1"})
	prHead := repo.Commit("feature")

	got, err := MergeBase(context.Background(), repo.Dir, "main", prHead)
	if err != nil || got != fork {
		t.Errorf("MergeBase = %q, %v; want %s", got, err, fork)
	}
	if _, err := MergeBase(context.Background(), repo.Dir, "--all", "main"); err == nil {
		t.Error("an option-like commit was accepted")
	}
	if _, err := MergeBase(context.Background(), repo.Dir, "main", "no-such-branch"); err == nil {
		t.Error("an unknown commit was accepted")
	}
	clone := shallowClone(t, repo)
	buildtest.Git(t, clone, "fetch", "-q", "--depth=1", "origin", "main")
	_, err = MergeBase(context.Background(), clone, "FETCH_HEAD", "HEAD")
	if err == nil || !strings.Contains(err.Error(), "shallow") {
		t.Errorf("shallow clone: error %v, want a hint about the shallow history", err)
	}
}
