package action

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/imagedrift/imagedrift/internal/github/botpr"
	"github.com/imagedrift/imagedrift/internal/github/event"
)

// declared reads what a bot's pull request declares, with the base images
// of the Dockerfile that a docker update may name. nil without a bot.
func (r *runner) declared(ctx context.Context, src []byte) (*botpr.Declared, []string) {
	pr := r.ev.PR
	if pr == nil {
		return nil, nil
	}
	bot := botpr.Detect(pr.Author, pr.HeadRef, pr.Title)
	if bot == "" {
		return nil, nil
	}
	msg, err := headMessage(ctx, r.workspace, pr.HeadSHA)
	if err != nil {
		r.gha.Warningf("imagedrift: the declared updates come from the title only: %s", oneLine(err.Error()))
	}
	d := botpr.Parse(bot, pr.Title, msg, pr.Body)
	return &d, baseImages(filepath.ToSlash(r.in.File), src)
}

// maxMessage bounds the commit message read: a bot's is a few KB.
const maxMessage = 64 << 10

// headMessage reads the message of the pull request's head commit, which
// holds Dependabot's updated-dependencies block. The checkout of a
// pull_request event is GitHub's merge commit: its head parent is fetched,
// shallowly, when the clone lacks it.
func headMessage(ctx context.Context, repo, sha string) (string, error) {
	if !event.IsSHA(sha) {
		return "", fmt.Errorf("head %q is not a commit id", sha)
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	msg, err := git(ctx, repo, "show", "-s", "--format=%B", sha, "--")
	if err == nil {
		return msg, nil
	}
	if _, ferr := git(ctx, repo, "fetch", "--no-tags", "--depth=1", "origin", sha); ferr != nil {
		return "", fmt.Errorf("read head commit %s: %v; fetch it: %w", sha[:12], err, ferr)
	}
	return git(ctx, repo, "show", "-s", "--format=%B", sha, "--")
}

// git runs git in repo and returns its output, at most maxMessage bytes.
func git(ctx context.Context, repo string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = repo
	var out capped
	var errOut capped
	out.limit, errOut.limit = maxMessage, 4<<10
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %w: %s", args[0], err, oneLine(errOut.b.String()))
	}
	return strings.TrimRight(out.b.String(), "\n"), nil
}

// capped keeps the first limit bytes written to it and drops the rest.
type capped struct {
	b     bytes.Buffer
	limit int
}

func (c *capped) Write(p []byte) (int, error) {
	if room := c.limit - c.b.Len(); room > 0 {
		c.b.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
