package action

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/imagedrift/imagedrift/internal/analysis"
	"github.com/imagedrift/imagedrift/internal/build"
	"github.com/imagedrift/imagedrift/internal/drift"
	"github.com/imagedrift/imagedrift/internal/report"
)

// errNoReference is the watch mode's missing base-image.
var errNoReference = errors.New("watch mode compares a fresh build of the commit with a reference: " +
	"set base-image to the image deployed (registry:REF, …) or to an inventory saved earlier (inventory:PATH)")

// watchPhase builds the checkout fresh, compares it with the reference
// (base-image), and keeps the drift issue: mode watch.
func (r *runner) watchPhase(ctx context.Context) error {
	if r.in.BaseImage == "" {
		return &inputError{"base-image", errNoReference}
	}
	im, done, err := r.prepareImages(ctx, func(res *build.Result) error {
		if res.Head.Missing {
			return fmt.Errorf("watch: %s does not exist in the checkout: nothing to build (set file, or head-image)", r.in.File)
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer done()
	src, findings, res, base, head, vsrc := im.src, im.findings, im.res, im.base, im.head, im.vulns
	in := drift.WatchInput{Findings: findings}
	if res.Head.Built {
		in.BaseName = drift.FinalBase(r.in.File, src)
		if in.BaseName != "" {
			in.BaseNow, _ = build.RepoDigest(ctx, "", in.BaseName)
		}
	}
	contributors := []analysis.Contributor{drift.WatchContributor(in)}
	if vsrc != nil {
		contributors = append(contributors, r.vulnContributor(vsrc, base, head, nil))
	}
	an, err := r.analyse(ctx, im, contributors)
	if err != nil {
		return err
	}
	rep := an.Report
	md := report.Markdown(rep, report.MarkdownOptions{FullReportHint: r.fullReportHint(), Extra: an.Sections})
	files, err := r.writeReport(rep, md)
	if err != nil {
		return err
	}
	r.annotate(findings)
	r.summary(md)
	url := r.keepIssue(ctx, rep, an.Sections, res.Head.Commit)
	if err := r.outputs(rep, files, ""); err != nil {
		return err
	}
	more := append([][2]string{{"drifted", strconv.FormatBool(drifted(rep))}, {"issue-url", url}}, r.reproOutput()...)
	if err := r.moreOutputs(more...); err != nil {
		return err
	}
	return r.verdict(rep)
}

// drifted says whether the fresh build is not the reference.
func drifted(rep *report.Report) bool { return rep.Drift != nil && rep.Drift.Drifted }

// moreOutputs sets outputs beyond the ones every mode sets.
func (r *runner) moreOutputs(kv ...[2]string) error {
	if r.env("GITHUB_OUTPUT") == "" {
		return nil
	}
	return fileCommand(func() {
		for _, p := range kv {
			r.gha.SetOutput(p[0], p[1])
		}
	})
}
