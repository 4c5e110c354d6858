package action

import (
	"context"
	"fmt"

	"github.com/imagedrift/imagedrift/internal/config"
	"github.com/imagedrift/imagedrift/internal/report"
)

// Commenter posts the report as the pull request's comment for a key,
// editing the comment with that key's marker when there is one, and
// returns the comment's URL.
type Commenter interface {
	Upsert(ctx context.Context, key, body string) (url string, err error)
}

// Target is what a Commenter needs to reach the pull request.
type Target struct {
	APIURL     string // GITHUB_API_URL
	Repository string // owner/name, GITHUB_REPOSITORY
	PR         int
	HeadSHA    string // the head the report describes
	Token      string // the github-token input; masked in the log
}

// publish posts the comment when the comment setting asks for it, and
// returns its URL. Without a Commenter the report stays in the job
// summary and the report directory, and one notice says so. A comment
// that fails is a warning: the check's result is the policy's.
func (r *runner) publish(ctx context.Context, key, md string, rep *report.Report, pr int, headSHA string) string {
	when := r.when()
	if when == config.WhenNever {
		return ""
	}
	var c Commenter
	if r.o.NewCommenter != nil {
		var err error
		c, err = r.o.NewCommenter(Target{APIURL: r.env("GITHUB_API_URL"), Repository: r.env("GITHUB_REPOSITORY"),
			PR: pr, HeadSHA: headSHA, Token: r.in.Token})
		if err != nil {
			r.gha.Warningf("imagedrift: pull request comment: %s", oneLine(err.Error()))
			return ""
		}
	}
	if c == nil {
		r.noticeOnce(fmt.Sprintf("imagedrift: this version of the action cannot post the pull request comment; "+
			"the report is in the job summary and in %s (%s, %s), which actions/upload-artifact can keep",
			r.reportDir, reportJSON, reportMD))
		return ""
	}
	if !wanted(when, rep) {
		return ""
	}
	url, err := c.Upsert(ctx, key, md)
	if err != nil {
		r.gha.Warningf("imagedrift: pull request comment: %s", oneLine(err.Error()))
		return ""
	}
	return url
}

// wanted decides from the comment setting whether the report is posted.
func wanted(when string, rep *report.Report) bool {
	switch when {
	case config.WhenAlways:
		return true
	case config.WhenRisk:
		return len(rep.Risks) > 0
	case config.WhenChanges:
		return !rep.Identical
	}
	return false
}

func (r *runner) noticeOnce(msg string) {
	if r.noticed {
		return
	}
	r.noticed = true
	r.gha.Noticef("%s", msg)
}
