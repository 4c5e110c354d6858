package action

import (
	"context"
	"fmt"
	"strings"

	"github.com/imagedrift/imagedrift/internal/config"
	"github.com/imagedrift/imagedrift/internal/github/api"
	"github.com/imagedrift/imagedrift/internal/report"
)

// IssueLabel labels the drift issues; they are looked up by it.
const IssueLabel = "imagedrift"

// Issues is what watch mode asks of GitHub's issues API; *api.Client
// has it.
type Issues interface {
	FindIssue(ctx context.Context, repo, label, marker string) (api.Issue, bool, error)
	CreateIssue(ctx context.Context, repo string, in api.NewIssue) (api.Issue, error)
	EditIssue(ctx context.Context, repo string, number int, e api.IssueEdit) (api.Issue, error)
	AddIssueComment(ctx context.Context, repo string, number int, body string) (api.Comment, error)
}

// keepIssue keeps one issue per key for the drift: opened when drift
// first appears, edited on every later run that finds it (when and where
// it was last seen), closed with a comment by a run that finds none, and
// reopened, never duplicated, when it returns. It returns the issue's URL
// while there is drift. Like the comment, it never fails the run: without
// issues: write, one notice, and the report stays in the job summary.
func (r *runner) keepIssue(ctx context.Context, rep *report.Report, sections []report.Section, commit string) string {
	if r.when() == config.WhenNever {
		return ""
	}
	gh := r.github()
	if gh == nil {
		return ""
	}
	is, ok := gh.(Issues)
	if !ok {
		r.noticeOnce("imagedrift: this GitHub client keeps no issues: the drift report is in the job summary")
		return ""
	}
	k := issueKeeper{r: r, is: is, repo: r.env("GITHUB_REPOSITORY"), key: r.key(), commit: commit}
	found, exists, err := is.FindIssue(ctx, k.repo, IssueLabel, report.Marker(k.key))
	if err != nil {
		r.apiProblem("drift issue", err)
		return ""
	}
	if !drifted(rep) {
		if exists && found.State == "open" {
			k.close(ctx, found)
		}
		return ""
	}
	body := k.body(rep, sections)
	var got api.Issue
	var did string
	switch {
	case !exists:
		got, err = is.CreateIssue(ctx, k.repo, api.NewIssue{Title: issueTitle(k.key), Body: body, Labels: []string{IssueLabel}})
		did = "opened"
	case found.State == "open":
		got, err = is.EditIssue(ctx, k.repo, found.Number, api.IssueEdit{Body: &body})
		did = "updated"
	default:
		open := "open"
		got, err = is.EditIssue(ctx, k.repo, found.Number, api.IssueEdit{Body: &body, State: &open})
		did = "reopened"
	}
	if err != nil {
		r.apiProblem("drift issue", err)
		return ""
	}
	r.gha.Infof("imagedrift: drift issue %s: %s", did, got.HTMLURL)
	return got.HTMLURL
}

// issueKeeper is one run's view of the drift issue.
type issueKeeper struct {
	r                 *runner
	is                Issues
	repo, key, commit string
}

// issueTitle names the key; it is the workflow's (an input, the config or
// the Dockerfile path), not an image's.
func issueTitle(key string) string {
	return "imagedrift: " + clipRunes(key, 200) + " drifted from its reference"
}

// body is the marker, when and where the drift was last seen, and the
// report, cut to fit an issue body.
func (k *issueKeeper) body(rep *report.Report, sections []report.Section) string {
	head := fmt.Sprintf("%s\n**A fresh build of %s differs from %s.** Last seen %s.\n\n",
		report.Marker(k.key), report.CodeSpan(k.key, 200, false), report.CodeSpan(k.r.in.BaseImage, 200, false), k.seen())
	md := report.Markdown(rep, report.MarkdownOptions{MaxLen: report.GitHubMaxLen - len(head) - 100,
		FullReportHint: k.r.fullReportHint(), Extra: sections})
	return head + md
}

// seen says when and where: the time, the run, the commit.
func (k *issueKeeper) seen() string {
	s := k.r.o.now().UTC().Format("2006-01-02 15:04 UTC")
	if u := k.r.runURL(); u != "" {
		s += " in [run " + k.r.env("GITHUB_RUN_ID") + "](" + u + ")"
	}
	if k.commit != "" {
		s += " at commit " + report.CodeSpan(short(k.commit), 40, false)
	}
	return s
}

// close says why in a comment, then closes the issue.
func (k *issueKeeper) close(ctx context.Context, found api.Issue) {
	msg := fmt.Sprintf("No drift: a fresh build matches the reference again (%s). Closing; imagedrift reopens this issue if drift returns.",
		k.seen())
	if _, err := k.is.AddIssueComment(ctx, k.repo, found.Number, msg); err != nil {
		k.r.apiProblem("drift issue", err)
		return
	}
	closed := "closed"
	if _, err := k.is.EditIssue(ctx, k.repo, found.Number, api.IssueEdit{State: &closed}); err != nil {
		k.r.apiProblem("drift issue", err)
		return
	}
	k.r.gha.Infof("imagedrift: no drift: issue closed: %s", found.HTMLURL)
}

// clipRunes cuts s to n runes.
func clipRunes(s string, n int) string {
	if r := []rune(strings.TrimSpace(s)); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return strings.TrimSpace(s)
}
