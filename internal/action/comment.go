package action

import (
	"context"
	"fmt"

	"github.com/imagedrift/imagedrift/internal/config"
	"github.com/imagedrift/imagedrift/internal/github/api"
	"github.com/imagedrift/imagedrift/internal/oneline"
	"github.com/imagedrift/imagedrift/internal/report"
)

// GitHub is what the action asks of GitHub's REST API; *api.Client is one.
type GitHub interface {
	UpsertSticky(ctx context.Context, repo string, pr int, marker, body string, o api.StickyOptions) (api.StickyResult, error)
	PullRequest(ctx context.Context, repo string, number int) (api.PullRequest, error)
	CreateCheckRun(ctx context.Context, repo string, run api.CheckRun) (api.CheckRunResult, error)
}

// Target is what a GitHub client is made from.
type Target struct {
	APIURL string // GITHUB_API_URL
	Token  string // the github-token input; masked in the log
	// Warn writes a warning annotation (a wait for a rate limit).
	Warn func(string)
	// ForkAdvice ends the hint of a permission error.
	ForkAdvice string
}

// forkAdvice is what to do when a pull request's token is read-only.
const forkAdvice = "pull requests from forks (and Dependabot's) get a read-only token: " +
	"build with mode: report and post from a workflow_run workflow with mode: comment (README, \"Pull requests from forks\")"

// github returns the client, made once; nil, with one notice, when there
// is no token or no way to make one.
func (r *runner) github() GitHub {
	if r.gh != nil || r.ghTried {
		return r.gh
	}
	r.ghTried = true
	switch {
	case r.o.NewGitHub == nil:
		r.noticeOnce("imagedrift: no GitHub client in this build: the report is in the job summary and in " + r.reportDir)
		return nil
	case r.in.Token == "":
		r.noticeOnce("imagedrift: the github-token input is empty: nothing is posted; the report is in the job summary and in " + r.reportDir)
		return nil
	}
	gh, err := r.o.NewGitHub(Target{APIURL: r.env("GITHUB_API_URL"), Token: r.in.Token,
		Warn: func(s string) { r.gha.Warningf("imagedrift: %s", oneline.Fold(s)) }, ForkAdvice: forkAdvice})
	if err != nil {
		r.gha.Warningf("imagedrift: GitHub API: %s", oneline.Fold(err.Error()))
		return nil
	}
	r.gh = gh
	return gh
}

// post is one comment to keep on a pull request.
type post struct {
	key      string
	markdown string // the full body, marker first
	short    string // the body when GitHub refuses the full one as too long
	pr       int
	// head is the commit the report describes: nothing is posted when the
	// pull request has moved on, or (comment mode) when its head is not
	// the commit the triggering run built.
	head string
	// full is false when the comment setting asks for no new comment
	// (nothing changed, or no risks): an existing one is edited to say so.
	full bool
}

// publish keeps the pull request's comment for the key, as the comment
// setting says, and returns its URL. It never fails the run: a comment
// that cannot be posted is a notice (missing permission) or a warning,
// and the exit code stays the policy's.
func (r *runner) publish(ctx context.Context, p post) string {
	if r.when() == config.WhenNever {
		return ""
	}
	gh := r.github()
	if gh == nil {
		return ""
	}
	res, err := gh.UpsertSticky(ctx, r.env("GITHUB_REPOSITORY"), p.pr, report.Marker(p.key), p.markdown,
		api.StickyOptions{CreateIfMissing: p.full, ShortBody: p.short, ExpectHeadSHA: p.head})
	if err != nil {
		r.apiProblem("pull request comment", err)
		return ""
	}
	switch res.Action {
	case api.StickySkippedHead:
		r.gha.Noticef("imagedrift: pull request #%d has moved on to %s: this report of %s is not posted (the run for the newer commit posts its own)",
			p.pr, short(res.HeadSHA), short(p.head))
	case api.StickyCreated, api.StickyEdited, api.StickyUnchanged:
		r.gha.Infof("imagedrift: comment %s: %s", res.Action, res.URL)
		if res.Shortened {
			r.gha.Warningf("imagedrift: GitHub refused the comment as too long; its short form was posted, the full report is in the job summary")
		}
	}
	return res.URL
}

// apiProblem reports a failed API call: a missing permission once, as a
// notice saying what to add; anything else as a warning.
func (r *runner) apiProblem(what string, err error) {
	if api.IsPermission(err) {
		r.noticeOnce(fmt.Sprintf("imagedrift: %s not posted: %s The report is in the job summary.", what, oneline.Fold(err.Error())))
		return
	}
	r.gha.Warningf("imagedrift: %s: %s", what, oneline.Fold(err.Error()))
}

// commentPost is the post for a report: the full Markdown when the
// comment setting wants one, else one line that keeps an older comment
// from going stale.
func (r *runner) commentPost(key, md string, rep *report.Report, pr int, head string, sections []report.Section) post {
	p := post{key: key, pr: pr, head: head, full: wanted(r.when(), rep)}
	hint := r.fullReportHint()
	if !p.full && r.when() == config.WhenRisk && !rep.Identical {
		p.markdown = report.Marker(key) + "\n" + fmt.Sprintf("### ✅ No risks found\n\nThe images of %s have no risks; the report is in %s.\n", "`"+short(head)+"`", hint)
		return p
	}
	p.markdown = md
	p.short = report.Markdown(rep, report.MarkdownOptions{Key: key, FullReportHint: hint, Extra: sections, Short: true})
	return p
}

// wanted decides from the comment setting whether the full report is
// posted (a comment created when there is none).
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

// runURL links to this run, for comments that leave the details out.
func (r *runner) runURL() string {
	server, repo, id := r.env("GITHUB_SERVER_URL"), r.env("GITHUB_REPOSITORY"), r.env("GITHUB_RUN_ID")
	if server == "" || repo == "" || id == "" {
		return ""
	}
	return server + "/" + repo + "/actions/runs/" + id
}

// fullReportHint says where the whole report is when a comment is cut.
func (r *runner) fullReportHint() string {
	if u := r.runURL(); u != "" {
		return "the job summary of [the run](" + u + ") and its JSON report (the `report` output of the action)"
	}
	return "the job summary of the run and its JSON report (the `report` output of the action)"
}

func (r *runner) noticeOnce(msg string) {
	if r.noticed {
		return
	}
	r.noticed = true
	r.gha.Noticef("%s", msg)
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}
