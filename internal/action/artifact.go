package action

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/imagedrift/imagedrift/internal/analysis"
	"github.com/imagedrift/imagedrift/internal/github/botpr"
	"github.com/imagedrift/imagedrift/internal/github/event"
	"github.com/imagedrift/imagedrift/internal/report"
)

// PRInfo is pr.json: what the comment phase needs of the pull request
// the report phase ran for. The comment phase runs with a write token on
// an artifact that the pull request's code could have written, so it
// checks it against its own event and re-renders the report from JSON
// rather than posting Markdown it did not write.
type PRInfo struct {
	SchemaVersion int             `json:"schemaVersion"`
	Number        int             `json:"number"`
	HeadSHA       string          `json:"headSha"`
	Key           string          `json:"key"`
	Declared      *botpr.Declared `json:"declared,omitempty"`
	BaseImages    []string        `json:"baseImages,omitempty"`
}

// Bounds on the artifact's files.
const (
	maxReportJSON = 256 << 20
	maxPRJSON     = 1 << 20
	maxKey        = 200
	maxDeclared   = 500
	maxBaseImages = 100
)

// writePRInfo writes pr.json in report mode. Without a pull request there
// is nothing to comment on, and no pr.json.
func (r *runner) writePRInfo(decl *botpr.Declared, bases []string) error {
	pr := r.ev.PR
	if pr == nil {
		r.gha.Infof("imagedrift: no pull request in the %s event: no %s for a comment phase", r.ev.Name, prJSON)
		return nil
	}
	info := PRInfo{SchemaVersion: 1, Number: pr.Number, HeadSHA: pr.HeadSHA, Key: r.key(), Declared: decl, BaseImages: bases}
	return writeFile(filepath.Join(r.reportDir, prJSON), func(w *bufio.Writer) error {
		e := json.NewEncoder(w)
		e.SetIndent("", "  ")
		return e.Encode(info)
	})
}

// commentPhase publishes the report a report phase left in report-dir:
// mode comment, in a workflow_run workflow. It fails only on a real
// error; the policy was the report phase's to enforce.
func (r *runner) commentPhase(ctx context.Context) error {
	rep, err := readReport(filepath.Join(r.reportDir, reportJSON))
	if err != nil {
		return err
	}
	info, err := readPRInfo(filepath.Join(r.reportDir, prJSON))
	if err != nil {
		return err
	}
	if err := r.checkArtifact(info); err != nil {
		return err
	}
	key := r.key()
	var contributors []analysis.Contributor
	if info != nil {
		if r.in.CommentKey == "" && info.Key != "" {
			key = info.Key
		}
		if info.Declared != nil {
			contributors = append(contributors, botpr.Contributor(*info.Declared, info.BaseImages))
		}
	}
	sections, err := analysis.Sections(ctx, rep, contributors)
	if err != nil {
		return err
	}
	md := report.Markdown(rep, report.MarkdownOptions{Key: key, FullReportHint: fullReportHint, Extra: sections})
	files := reportFiles{json: filepath.Join(r.reportDir, reportJSON), markdown: filepath.Join(r.reportDir, reportMD)}
	if err := writeFile(files.markdown, func(w *bufio.Writer) error { _, err := w.WriteString(md); return err }); err != nil {
		return err
	}
	r.summary(md)
	url := ""
	if info != nil {
		url = r.publish(ctx, key, md, rep, info.Number, info.HeadSHA)
	}
	return r.outputs(rep, files, url)
}

// checkArtifact refuses an artifact that is not the triggering run's: its
// head must be the run's head, and its number one of the run's pull
// requests when GitHub lists them (it does not for forks).
func (r *runner) checkArtifact(info *PRInfo) error {
	run := r.ev.Run
	if info == nil || run == nil {
		return nil
	}
	if info.HeadSHA != run.HeadSHA {
		return fmt.Errorf("the artifact is for commit %s, the triggering run for %s: refusing to publish it", info.HeadSHA, run.HeadSHA)
	}
	if len(run.PullRequests) > 0 && !slices.Contains(run.PullRequests, info.Number) {
		return fmt.Errorf("the artifact names pull request #%d, the triggering run %v: refusing to publish it", info.Number, run.PullRequests)
	}
	return nil
}

// readReport reads the report phase's JSON report.
func readReport(path string) (*report.Report, error) {
	data, err := readBounded(path, maxReportJSON)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no %s in the report directory: download the report phase's artifact there (mode: report writes it)", reportJSON)
	}
	if err != nil {
		return nil, err
	}
	var rep report.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if rep.SchemaVersion != report.SchemaVersion {
		return nil, fmt.Errorf("read %s: schemaVersion %d, want %d", path, rep.SchemaVersion, report.SchemaVersion)
	}
	return &rep, nil
}

// readPRInfo reads pr.json; nil when the report phase had no pull request.
func readPRInfo(path string) (*PRInfo, error) {
	data, err := readBounded(path, maxPRJSON)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	info, err := parsePRInfo(data)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return info, nil
}

// parsePRInfo decodes and checks pr.json, which the pull request's code
// could have written: bounded lists, a real number and commit.
func parsePRInfo(data []byte) (*PRInfo, error) {
	var info PRInfo
	if err := json.Unmarshal(data, &info); err != nil {
		return nil, err
	}
	switch {
	case info.SchemaVersion != 1:
		return nil, fmt.Errorf("schemaVersion %d, want 1", info.SchemaVersion)
	case info.Number <= 0:
		return nil, fmt.Errorf("pull request number %d", info.Number)
	case !event.IsSHA(info.HeadSHA):
		return nil, fmt.Errorf("head %q is not a commit id", clip(info.HeadSHA))
	case len(info.Key) > maxKey:
		return nil, fmt.Errorf("key longer than %d bytes", maxKey)
	}
	if d := info.Declared; d != nil && len(d.Updates) > maxDeclared {
		d.Updates = d.Updates[:maxDeclared]
	}
	if len(info.BaseImages) > maxBaseImages {
		info.BaseImages = info.BaseImages[:maxBaseImages]
	}
	return &info, nil
}

func readBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("read %s: larger than %d bytes", path, limit)
	}
	return data, nil
}
