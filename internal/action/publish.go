package action

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/imagedrift/imagedrift/internal/lint"
	"github.com/imagedrift/imagedrift/internal/report"
	"github.com/imagedrift/imagedrift/internal/risk"
)

// Files in the report directory.
const (
	reportJSON = "report.json"
	reportMD   = "report.md"
	prJSON     = "pr.json"
)

// reportFiles are the paths written, for the outputs.
type reportFiles struct{ json, markdown string }

// prepareReportDir makes the report directory and checks that a file
// can be written in it.
func (r *runner) prepareReportDir() error {
	if err := os.MkdirAll(r.reportDir, 0o755); err != nil {
		return fmt.Errorf("report directory (input report-dir): %w", err)
	}
	f, err := os.CreateTemp(r.reportDir, ".write-check-*")
	if err != nil {
		return fmt.Errorf("report directory (input report-dir): %w", err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// writeReport writes the JSON report and the Markdown into the report
// directory.
func (r *runner) writeReport(rep *report.Report, md string) (reportFiles, error) {
	f := reportFiles{json: filepath.Join(r.reportDir, reportJSON), markdown: filepath.Join(r.reportDir, reportMD)}
	if err := os.MkdirAll(r.reportDir, 0o755); err != nil {
		return f, fmt.Errorf("report directory: %w", err)
	}
	if err := writeFile(f.json, func(w *bufio.Writer) error { return report.WriteJSON(w, rep) }); err != nil {
		return f, err
	}
	err := writeFile(f.markdown, func(w *bufio.Writer) error { _, err := w.WriteString(md); return err })
	return f, err
}

func writeFile(path string, write func(*bufio.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	w := bufio.NewWriter(f)
	err = write(w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// maxSummary keeps the step summary under GitHub's 1 MiB per step.
const maxSummary = 1 << 20

// summary appends Markdown to the job summary. Outside a runner
// (GITHUB_STEP_SUMMARY unset) there is none; a summary that cannot be
// written is a warning, not a failure.
func (r *runner) summary(md string) {
	if r.env("GITHUB_STEP_SUMMARY") == "" {
		return
	}
	if len(md) > maxSummary {
		md = strings.ToValidUTF8(md[:maxSummary-100], "") + "\n\n(shortened to fit the job summary)\n"
	}
	if err := fileCommand(func() { r.gha.AddStepSummary(md) }); err != nil {
		r.gha.Warningf("imagedrift: job summary: %v", err)
	}
}

// outputs sets the step outputs. Outside a runner (GITHUB_OUTPUT unset)
// there are none.
func (r *runner) outputs(rep *report.Report, f reportFiles, commentURL string) error {
	if r.env("GITHUB_OUTPUT") == "" {
		return nil
	}
	major, changed := packageCounts(rep)
	fixed, introduced := vulnCounts(rep)
	out := [][2]string{
		{"risk-level", string(rep.Verdict.Level)},
		{"failed", strconv.FormatBool(rep.Verdict.Failed)},
		{"major-bumps", strconv.Itoa(major)},
		{"packages-changed", strconv.Itoa(changed)},
		{"report", f.json},
		{"markdown", f.markdown},
		{"comment-url", commentURL},
		{"vulnerabilities-fixed", fixed},
		{"vulnerabilities-introduced", introduced},
	}
	return fileCommand(func() {
		for _, kv := range out {
			r.gha.SetOutput(kv[0], kv[1])
		}
	})
}

// setOutputs sets the outputs of a set of reports: the highest level, a
// policy failed anywhere, counts summed; report and markdown name no file
// (there are several).
func (r *runner) setOutputs(arts []*artifact, commentURL string) error {
	if r.env("GITHUB_OUTPUT") == "" {
		return nil
	}
	level, failed, major, changed := risk.None, false, 0, 0
	reps := make([]*report.Report, len(arts))
	for i, a := range arts {
		reps[i] = a.rep
		rep := a.rep
		if rep.Verdict.Level.Rank() > level.Rank() {
			level = rep.Verdict.Level
		}
		failed = failed || rep.Verdict.Failed
		m, c := packageCounts(rep)
		major, changed = major+m, changed+c
	}
	out := [][2]string{
		{"risk-level", string(level)},
		{"failed", strconv.FormatBool(failed)},
		{"major-bumps", strconv.Itoa(major)},
		{"packages-changed", strconv.Itoa(changed)},
		{"report", ""},
		{"markdown", ""},
		{"comment-url", commentURL},
	}
	fixed, introduced := vulnCounts(reps...)
	out = append(out, [2]string{"vulnerabilities-fixed", fixed}, [2]string{"vulnerabilities-introduced", introduced})
	return fileCommand(func() {
		for _, kv := range out {
			r.gha.SetOutput(kv[0], kv[1])
		}
	})
}

// packageCounts are the major bumps and all package changes of a report.
func packageCounts(rep *report.Report) (major, changed int) {
	changed = len(rep.Packages.Added) + len(rep.Packages.Removed) + len(rep.Packages.Changed)
	for _, c := range rep.Packages.Changed {
		if c.Bump == "major" {
			major++
		}
	}
	return major, changed
}

// fileCommand runs a githubactions call that writes a runner file and
// panics when it cannot: the panic becomes an error.
func fileCommand(f func()) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%v", p)
		}
	}()
	f()
	return nil
}

// maxAnnotations bounds the annotations of one run: GitHub shows only
// the first few of a step anyway.
const maxAnnotations = 50

// annotate puts the lint findings on the Dockerfile's lines.
func (r *runner) annotate(findings []lint.Finding) {
	for i, f := range findings {
		if i == maxAnnotations {
			r.gha.Noticef("imagedrift: %d more lint findings are in the report", len(findings)-i)
			return
		}
		fields := map[string]string{"file": f.File, "line": strconv.Itoa(f.Line), "title": "imagedrift " + f.Rule}
		if f.EndLine > f.Line {
			fields["endLine"] = strconv.Itoa(f.EndLine)
		}
		if f.Column > 0 {
			fields["col"] = strconv.Itoa(f.Column)
		}
		a := r.gha.WithFieldsMap(fields)
		switch f.Level {
		case lint.LevelHigh:
			a.Errorf("%s", f.Message)
		case lint.LevelMedium:
			a.Warningf("%s", f.Message)
		default:
			a.Noticef("%s", f.Message)
		}
	}
}
