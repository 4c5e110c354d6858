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
	"strings"

	"github.com/imagedrift/imagedrift/internal/analysis"
	"github.com/imagedrift/imagedrift/internal/drift"
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

// commentPhase publishes the reports a report phase left in report-dir:
// mode comment, in a workflow_run workflow (the fork-safe setup) or in a
// job after a matrix of report jobs. report-dir may be a glob matching
// one folder per image (imagedrift-*/): their reports are posted as one
// comment. It fails only on a real error; the policy was the report
// phase's to enforce.
func (r *runner) commentPhase(ctx context.Context) error {
	dirs, err := r.reportDirs()
	if err != nil {
		return err
	}
	arts := make([]*artifact, len(dirs))
	for i, dir := range dirs {
		if arts[i], err = r.loadArtifact(ctx, dir); err != nil {
			return err
		}
	}
	if len(arts) == 1 {
		return r.commentOne(ctx, arts[0])
	}
	return r.commentSet(ctx, arts)
}

// artifact is one report phase's folder, checked and read.
type artifact struct {
	dir      string
	rep      *report.Report
	info     *PRInfo // nil when the report phase had no pull request
	key      string
	sections []report.Section
}

func (r *runner) loadArtifact(ctx context.Context, dir string) (*artifact, error) {
	rep, err := readReport(filepath.Join(dir, reportJSON))
	if err != nil {
		return nil, err
	}
	info, err := readPRInfo(filepath.Join(dir, prJSON))
	if err != nil {
		return nil, err
	}
	if err := r.checkArtifact(info); err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	a := &artifact{dir: dir, rep: rep, info: info, key: r.key()}
	// The report phase's reproducibility check is in the report itself.
	contributors := []analysis.Contributor{drift.ReproSections()}
	if info != nil {
		if r.in.CommentKey == "" && info.Key != "" {
			a.key = info.Key
		}
		if info.Declared != nil {
			contributors = append(contributors, botpr.Contributor(*info.Declared, info.BaseImages))
		}
	}
	if a.sections, err = analysis.Sections(ctx, rep, contributors); err != nil {
		return nil, err
	}
	return a, nil
}

// commentOne publishes one report phase's report.
func (r *runner) commentOne(ctx context.Context, a *artifact) error {
	md := report.Markdown(a.rep, report.MarkdownOptions{Key: a.key, FullReportHint: r.fullReportHint(), Extra: a.sections})
	files := reportFiles{json: filepath.Join(a.dir, reportJSON), markdown: filepath.Join(a.dir, reportMD)}
	if err := writeFile(files.markdown, func(w *bufio.Writer) error { _, err := w.WriteString(md); return err }); err != nil {
		return err
	}
	r.summary(md)
	url := ""
	if a.info != nil {
		url = r.publish(ctx, r.commentPost(a.key, md, a.rep, a.info.Number, a.info.HeadSHA, a.sections))
	}
	return r.outputs(a.rep, files, url)
}

// setKey is the marker of a set's comment: the comment-key input, the
// configuration's, else one for all the images of the pull request.
func (r *runner) setKey() string {
	return or(r.in.CommentKey, or(r.cfg.Comment.Key, "all images"))
}

// commentSet publishes the reports of several images as one comment. They
// must be of one pull request and one head commit.
func (r *runner) commentSet(ctx context.Context, arts []*artifact) error {
	items := make([]report.SetItem, len(arts))
	full := false
	for i, a := range arts {
		if a.info == nil || a.info.Number != arts[0].info.Number || a.info.HeadSHA != arts[0].info.HeadSHA {
			return fmt.Errorf("%s and %s are not reports of one pull request at one commit: refusing to post them together", arts[0].dir, a.dir)
		}
		items[i] = report.SetItem{Key: a.key, Report: a.rep, Extra: a.sections}
		full = full || wanted(r.when(), a.rep)
	}
	key := r.setKey()
	o := report.MarkdownOptions{Key: key, FullReportHint: r.fullReportHint()}
	md := report.MarkdownSet(items, o)
	r.summary(md)
	o.Short = true
	info := arts[0].info
	url := r.publish(ctx, post{key: key, markdown: md, short: report.MarkdownSet(items, o), pr: info.Number, head: info.HeadSHA, full: full})
	return r.setOutputs(arts, url)
}

// reportDirs are the folders report-dir names: itself, or what its glob
// matches among folders holding a report.json, in order.
func (r *runner) reportDirs() ([]string, error) {
	if !strings.ContainsAny(r.in.ReportDir, "*?[") {
		return []string{r.reportDir}, nil
	}
	matches, err := filepath.Glob(r.reportDir)
	if err != nil {
		return nil, &inputError{"report-dir", err}
	}
	var dirs []string
	for _, m := range matches {
		if fi, err := os.Stat(filepath.Join(m, reportJSON)); err == nil && fi.Mode().IsRegular() {
			dirs = append(dirs, m)
		}
	}
	if len(dirs) == 0 {
		return nil, &inputError{"report-dir", fmt.Errorf("%s matches no folder holding %s: download the report jobs' artifacts there", r.in.ReportDir, reportJSON)}
	}
	slices.Sort(dirs)
	return dirs, nil
}

// checkArtifact refuses an artifact that is not the run's to publish: a
// workflow_run's artifact must be of the triggering run's head, and of one
// of its pull requests when GitHub lists them (it does not for forks); in
// a pull_request workflow (a job after a matrix) of the event's pull
// request and head. Publishing then asks the API that the pull request's
// head is still that commit.
func (r *runner) checkArtifact(info *PRInfo) error {
	if info == nil {
		return nil
	}
	if run := r.ev.Run; run != nil {
		if info.HeadSHA != run.HeadSHA {
			return fmt.Errorf("the artifact is for commit %s, the triggering run for %s: refusing to publish it", info.HeadSHA, run.HeadSHA)
		}
		if len(run.PullRequests) > 0 && !slices.Contains(run.PullRequests, info.Number) {
			return fmt.Errorf("the artifact names pull request #%d, the triggering run %v: refusing to publish it", info.Number, run.PullRequests)
		}
	}
	if pr := r.ev.PR; pr != nil && (info.Number != pr.Number || info.HeadSHA != pr.HeadSHA) {
		return fmt.Errorf("the artifact is for pull request #%d at %s, this run for #%d at %s: refusing to publish it",
			info.Number, short(info.HeadSHA), pr.Number, short(pr.HeadSHA))
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
	if d := info.Declared; d != nil {
		d.Advisories = botpr.KeepAdvisories(d.Advisories)
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
