package action

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/imagedrift/imagedrift/internal/build"
	"github.com/imagedrift/imagedrift/internal/github/botpr"
	"github.com/imagedrift/imagedrift/internal/github/event"
	"github.com/imagedrift/imagedrift/internal/oneline"
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
		r.gha.Warningf("imagedrift: the declared updates come from the title only: %s", oneline.Fold(err.Error()))
	}
	d := botpr.Parse(bot, pr.Title, msg, pr.Body)
	return &d, baseImages(filepath.ToSlash(r.in.File), src)
}

// maxMessage bounds the commit message read: a bot's is a few KB.
const maxMessage = 64 << 10

// headMessage reads the message of the pull request's head commit, which
// holds Dependabot's updated-dependencies block.
func headMessage(ctx context.Context, repo, sha string) (string, error) {
	if !event.IsSHA(sha) {
		return "", fmt.Errorf("head %q is not a commit id", sha)
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	return build.CommitMessage(ctx, repo, sha, maxMessage)
}
