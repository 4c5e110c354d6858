package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/imagedrift/imagedrift/internal/oneline"
)

// cleanupTimeout bounds the removal of a worktree or a temporary image,
// which runs even after the build's context was cancelled.
const cleanupTimeout = 2 * time.Minute

// git runs git in one repository.
type git struct {
	bin, dir string
}

// run returns git's trimmed standard output. Its error quotes the command
// and git's own message.
func (g git) run(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, g.bin, args...)
	cmd.Dir = g.dir
	// Never wait for a password prompt: a fetch that needs credentials fails.
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0")
	var stdout bytes.Buffer
	stderr := &capped{max: 4 << 10}
	cmd.Stdout, cmd.Stderr = &stdout, stderr
	cmd.WaitDelay = 10 * time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("git %s: %w", args[0], ctx.Err())
		}
		msg := oneline.Fold(stderr.String())
		if msg != "" {
			return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, msg)
		}
		return "", fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(stdout.String()), nil
}

// resolve returns the commit a ref names, or an error when the repository
// does not have it.
func (g git) resolve(ctx context.Context, ref string) (string, error) {
	return g.run(ctx, "rev-parse", "--verify", "--quiet", "--end-of-options", ref+"^{commit}")
}

// fetch brings ref from origin into a checkout that lacks it, shallowly
// (actions/checkout clones the head with depth 1), and resolves it.
func (g git) fetch(ctx context.Context, ref string) (string, error) {
	if _, err := g.run(ctx, "fetch", "--no-tags", "--depth=1", "origin", ref); err != nil {
		return "", fmt.Errorf("base %s is not in the checkout and fetching it from origin failed "+
			"(is it pushed, and can this job read origin?): %w", ref, err)
	}
	if sha, err := g.resolve(ctx, ref); err == nil {
		return sha, nil
	}
	// A branch name fetched by name lands in FETCH_HEAD only.
	sha, err := g.resolve(ctx, "FETCH_HEAD")
	if err != nil {
		return "", fmt.Errorf("base %s: fetched, but cannot resolve it: %w", ref, err)
	}
	return sha, nil
}

// hasFile reports whether path exists in commit's tree.
func (g git) hasFile(ctx context.Context, commit, path string) (bool, error) {
	_, err := g.run(ctx, "cat-file", "-e", commit+":"+filepath.ToSlash(filepath.Clean(path)))
	var exit *exec.ExitError
	switch {
	case err == nil:
		return true, nil
	case ctx.Err() == nil && errors.As(err, &exit):
		// The commit was resolved already, so a failure means no such path.
		return false, nil
	}
	return false, err
}

// addWorktree checks commit out, detached, into dir, and returns the
// function that removes it again. remove is set even when the add failed,
// since a half-made worktree must go too.
func (g git) addWorktree(ctx context.Context, dir, commit string) (remove func() error, err error) {
	remove = func() error {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer cancel()
		_, errRemove := g.run(cctx, "worktree", "remove", "--force", dir)
		// If remove failed (a locked or half-made worktree), deleting the
		// directory and pruning still leaves no trace.
		errDelete := os.RemoveAll(dir)
		_, errPrune := g.run(cctx, "worktree", "prune")
		if errDelete != nil || errPrune != nil {
			return fmt.Errorf("remove base worktree %s: %w", dir, errors.Join(errRemove, errDelete, errPrune))
		}
		return nil
	}
	_, err = g.run(ctx, "worktree", "add", "--detach", dir, commit)
	return remove, err
}

// MergeBase returns the best common ancestor of commits a and b in the
// repository at repoDir: the base to compare against when the checkout is
// the pull request's head rather than its merge commit.
func MergeBase(ctx context.Context, repoDir, a, b string) (string, error) {
	for _, ref := range []string{a, b} {
		if ref == "" {
			return "", errors.New("merge base: empty commit")
		}
		if err := checkWord("merge base commit", ref); err != nil {
			return "", err
		}
	}
	g := git{bin: "git", dir: repoDir}
	sha, err := g.run(ctx, "merge-base", "--end-of-options", a, b)
	if err == nil {
		return sha, nil
	}
	if shallow, _ := g.run(ctx, "rev-parse", "--is-shallow-repository"); shallow == "true" {
		return "", fmt.Errorf("merge base of %s and %s: the checkout is shallow, so the history is "+
			"not there (use fetch-depth: 0 with actions/checkout, or give the base SHA): %w", a, b, err)
	}
	return "", fmt.Errorf("merge base of %s and %s: %w", a, b, err)
}

// CommitMessage returns the message of commit sha in the repository at
// repoDir, at most maxBytes of it, fetching the commit shallowly from
// origin when the checkout lacks it: a pull_request checkout is GitHub's
// merge commit, whose head parent a depth-1 clone does not have.
func CommitMessage(ctx context.Context, repoDir, sha string, maxBytes int) (string, error) {
	if err := checkWord("commit", sha); err != nil {
		return "", err
	}
	g := git{bin: "git", dir: repoDir}
	show := func() (string, error) {
		out, err := g.run(ctx, "show", "-s", "--format=%B", "--end-of-options", sha)
		if len(out) > maxBytes {
			out = out[:maxBytes]
		}
		return out, err
	}
	msg, err := show()
	if err == nil {
		return msg, nil
	}
	if _, ferr := g.run(ctx, "fetch", "--no-tags", "--depth=1", "origin", sha); ferr != nil {
		return "", fmt.Errorf("read commit %s: %v; fetch it: %w", shortSHA(sha), err, ferr)
	}
	return show()
}

// capped keeps the first max bytes written to it and drops the rest.
type capped struct {
	buf bytes.Buffer
	max int
}

func (c *capped) Write(p []byte) (int, error) {
	if room := c.max - c.buf.Len(); room > 0 {
		if len(p) < room {
			room = len(p)
		}
		c.buf.Write(p[:room])
	}
	return len(p), nil
}

func (c *capped) String() string { return c.buf.String() }
