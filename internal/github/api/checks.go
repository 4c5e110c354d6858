package api

import (
	"context"
	"fmt"
	"net/http"
	"unicode/utf8"

	gh "github.com/google/go-github/v57/github"
)

// CheckRun is a completed check run to create.
type CheckRun struct {
	Name        string
	HeadSHA     string
	Conclusion  string // success, failure, neutral (or another that GitHub accepts)
	DetailsURL  string // optional
	Title       string
	Summary     string // Markdown; cut to GitHub's 65535 characters
	Text        string // Markdown; cut likewise
	Annotations []Annotation
}

// Annotation marks lines of a file in the check run.
type Annotation struct {
	Path       string
	StartLine  int
	EndLine    int    // defaults to StartLine
	Level      string // notice, warning or failure
	Title      string
	Message    string
	RawDetails string
}

// CheckRunResult identifies the created check run.
type CheckRunResult struct {
	ID      int64
	HTMLURL string
}

// GitHub's limits for check runs ("Create a check run", REST checks/runs).
const (
	maxAnnotationsPerRequest = 50
	maxOutputText            = 65535
	maxAnnotationTitle       = 255
	maxAnnotationMessage     = 64 << 10
)

const permChecks = "checks: write"

// CreateCheckRun creates a completed check run. GitHub takes at most 50
// annotations per request, so the first 50 go with the creation and each
// further 50 with an update of the same run (updates append annotations).
func (c *Client) CreateCheckRun(ctx context.Context, repo string, run CheckRun) (CheckRunResult, error) {
	o := op{what: fmt.Sprintf("create check run %q on %s of %s", run.Name, short(run.HeadSHA), repo), perm: permChecks}
	p, err := repoPath(repo)
	if err != nil {
		return CheckRunResult{}, usage(o, err)
	}
	if run.Name == "" || run.HeadSHA == "" || run.Conclusion == "" {
		return CheckRunResult{}, usage(o, fmt.Errorf("a check run needs a name, a head SHA and a conclusion"))
	}
	first, rest := chunk(run.Annotations)
	completed := gh.Timestamp{Time: c.now()}
	opts := gh.CreateCheckRunOptions{Name: run.Name, HeadSHA: run.HeadSHA, Status: gh.String("completed"),
		Conclusion: gh.String(run.Conclusion), CompletedAt: &completed, Output: output(run, first)}
	if run.DetailsURL != "" {
		opts.DetailsURL = gh.String(run.DetailsURL)
	}
	var created gh.CheckRun
	if _, err := c.do(ctx, o, http.MethodPost, p+"/check-runs", &opts, &created); err != nil {
		return CheckRunResult{}, err
	}
	res := CheckRunResult{ID: created.GetID(), HTMLURL: created.GetHTMLURL()}
	for sent := len(first); len(rest) > 0; {
		var next []Annotation
		next, rest = chunk(rest)
		uo := op{what: fmt.Sprintf("add annotations %d-%d to check run %s", sent+1, sent+len(next), res.HTMLURL), perm: permChecks}
		upd := gh.UpdateCheckRunOptions{Name: run.Name, Output: output(run, next)}
		if _, err := c.do(ctx, uo, http.MethodPatch, fmt.Sprintf("%s/check-runs/%d", p, res.ID), &upd, nil); err != nil {
			return res, err
		}
		sent += len(next)
	}
	return res, nil
}

func chunk(a []Annotation) (first, rest []Annotation) {
	if len(a) <= maxAnnotationsPerRequest {
		return a, nil
	}
	return a[:maxAnnotationsPerRequest], a[maxAnnotationsPerRequest:]
}

// output repeats title and summary in every request: GitHub requires
// both whenever output is sent.
func output(run CheckRun, anns []Annotation) *gh.CheckRunOutput {
	out := &gh.CheckRunOutput{Title: gh.String(run.Title), Summary: gh.String(cut(run.Summary, maxOutputText))}
	if run.Text != "" {
		out.Text = gh.String(cut(run.Text, maxOutputText))
	}
	for _, a := range anns {
		end := a.EndLine
		if end < a.StartLine {
			end = a.StartLine
		}
		ga := &gh.CheckRunAnnotation{Path: gh.String(a.Path), StartLine: gh.Int(a.StartLine), EndLine: gh.Int(end),
			AnnotationLevel: gh.String(a.Level), Message: gh.String(cut(a.Message, maxAnnotationMessage))}
		if a.Title != "" {
			ga.Title = gh.String(cut(a.Title, maxAnnotationTitle))
		}
		if a.RawDetails != "" {
			ga.RawDetails = gh.String(cut(a.RawDetails, maxAnnotationMessage))
		}
		out.Annotations = append(out.Annotations, ga)
	}
	return out
}

// cut bounds s to n characters, saying that it did.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	const mark = "\n\n… (cut to GitHub's limit)"
	keep := n - utf8.RuneCountInString(mark)
	i := 0
	for j := range s {
		if keep == 0 {
			i = j
			break
		}
		keep--
	}
	return s[:i] + mark
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}
