package action

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/imagedrift/imagedrift/internal/github/api"
	"github.com/imagedrift/imagedrift/internal/lint"
	"github.com/imagedrift/imagedrift/internal/report"
	"github.com/imagedrift/imagedrift/internal/risk"
)

// checkRun creates the check run `imagedrift (KEY)` on the head commit when
// the check-run input asks for it: the policy's conclusion, the report as
// its summary, and the lint findings and risks as annotations on the
// Dockerfile's lines. Without checks: write it says so once, and nothing
// else happens.
func (r *runner) checkRun(ctx context.Context, key, md string, rep *report.Report, findings []lint.Finding) {
	if !r.in.CheckRun {
		return
	}
	head := r.env("GITHUB_SHA")
	if r.ev.PR != nil {
		head = r.ev.PR.HeadSHA
	}
	gh := r.github()
	if gh == nil || head == "" {
		return
	}
	run := api.CheckRun{
		Name:        "imagedrift (" + key + ")",
		HeadSHA:     head,
		Conclusion:  conclusion(rep.Verdict),
		DetailsURL:  r.runURL(),
		Title:       checkTitle(rep),
		Summary:     md,
		Annotations: r.checkAnnotations(rep, findings),
	}
	res, err := gh.CreateCheckRun(ctx, r.env("GITHUB_REPOSITORY"), run)
	if err != nil {
		r.apiProblem("check run", err)
		return
	}
	r.gha.Infof("imagedrift: check run %s: %s", run.Name, res.HTMLURL)
}

// conclusion is the policy's: failure when it failed, success when one
// was enforced and passed, neutral when nothing was enforced.
func conclusion(v risk.Verdict) string {
	switch {
	case v.Failed:
		return "failure"
	case len(v.FailOn) == 0:
		return "neutral"
	}
	return "success"
}

func checkTitle(rep *report.Report) string {
	if rep.Identical {
		return "No changes"
	}
	level := map[risk.Level]string{risk.High: "High", risk.Medium: "Medium", risk.Low: "Low"}[rep.Verdict.Level]
	t := fmt.Sprintf("%d %s", len(rep.Risks), plural(len(rep.Risks), "risk", "risks"))
	if level != "" {
		t = level + " risk: " + t
	}
	if rep.Verdict.Failed {
		t += ", policy failed"
	}
	return t
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// checkAnnotations puts the lint findings on their lines and the other
// risks on the Dockerfile's first line (the image as a whole), at the
// level GitHub shows for theirs.
func (r *runner) checkAnnotations(rep *report.Report, findings []lint.Finding) []api.Annotation {
	var out []api.Annotation
	for _, f := range findings {
		out = append(out, api.Annotation{Path: f.File, StartLine: f.Line, EndLine: max(f.Line, f.EndLine),
			Level: annotationLevel(risk.Level(f.Level)), Title: "imagedrift " + f.Rule, Message: f.Message})
	}
	file := filepath.ToSlash(r.in.File)
	if r.dockerfile() == nil {
		return out
	}
	for _, k := range rep.Risks {
		if strings.HasPrefix(k.ID, risk.LintPrefix) {
			continue // already on its own line
		}
		out = append(out, api.Annotation{Path: file, StartLine: 1, EndLine: 1, Level: annotationLevel(k.Level),
			Title: "imagedrift " + k.ID, Message: k.Subject + ": " + k.Message})
	}
	return out
}

// annotationLevel maps a risk level to a check annotation's.
func annotationLevel(l risk.Level) string {
	switch l {
	case risk.High:
		return "failure"
	case risk.Medium:
		return "warning"
	}
	return "notice"
}
