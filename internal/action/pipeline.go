package action

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/imagedrift/imagedrift/internal/analysis"
	"github.com/imagedrift/imagedrift/internal/build"
	"github.com/imagedrift/imagedrift/internal/github/botpr"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/layercache"
	"github.com/imagedrift/imagedrift/internal/lint"
	"github.com/imagedrift/imagedrift/internal/load"
	"github.com/imagedrift/imagedrift/internal/oneline"
	"github.com/imagedrift/imagedrift/internal/report"
	"github.com/imagedrift/imagedrift/internal/risk"
	"github.com/imagedrift/imagedrift/internal/vulns"
)

// images is what every mode that reads images starts from: the head's
// Dockerfile read and linted, both images built (or taken) and read, and
// the vulnerability source the run asked for.
type images struct {
	src        []byte // the head's Dockerfile, nil when there is none
	findings   []lint.Finding
	res        *build.Result
	base, head *inventory.Inventory
	vulns      *vulns.Opened // nil when nothing is looked up
}

// prepareImages builds and reads both sides; done releases what they hold.
// check, when set, may refuse the built sides before they are read.
func (r *runner) prepareImages(ctx context.Context, check func(*build.Result) error) (im *images, done func(), err error) {
	im = &images{}
	if im.vulns, err = r.vulnSource(); err != nil {
		return nil, nil, err
	}
	im.src = r.dockerfile()
	im.findings = r.lint(im.src)
	res, cleanup, err := r.buildImages(ctx, im.findings)
	if err != nil {
		im.vulns.Release()
		return nil, nil, err
	}
	done = func() { cleanup(); im.vulns.Release() }
	im.res = res
	if check != nil {
		if err := check(res); err != nil {
			done()
			return nil, nil, err
		}
	}
	if im.base, im.head, err = r.loadImages(ctx, res); err != nil {
		done()
		return nil, nil, err
	}
	return im, done, nil
}

// analyse runs the analysis of the images with the contributors, and
// passes its warnings on.
func (r *runner) analyse(ctx context.Context, im *images, contributors []analysis.Contributor) (*analysis.Result, error) {
	if r.repro != nil {
		contributors = append(contributors, r.repro.Contributor())
	}
	an, err := analysis.Run(ctx, analysis.Input{Base: im.base, Head: im.head, Findings: im.findings, Config: r.cfg,
		Dockerfiles: load.Dockerfiles(im.res, r.in.File, r.in.Target, im.src),
		FailOn:      r.in.FailOn, Version: r.o.Version, Contributors: contributors})
	if err != nil {
		return nil, err
	}
	r.warn(an.Warnings)
	return an, nil
}

// diffPhase builds (or takes) both images, diffs them and publishes the
// report: modes diff and report.
func (r *runner) diffPhase(ctx context.Context) error {
	im, done, err := r.prepareImages(ctx, nil)
	if err != nil {
		return err
	}
	defer done()
	src, findings, base, head, vsrc := im.src, im.findings, im.base, im.head, im.vulns
	decl, bases := r.declared(ctx, src)
	var contributors []analysis.Contributor
	if decl != nil {
		contributors = append(contributors, botpr.Contributor(*decl, bases))
	}
	if vsrc != nil {
		contributors = append(contributors, r.vulnContributor(vsrc, base, head, decl))
	}
	an, err := r.analyse(ctx, im, contributors)
	if err != nil {
		return err
	}
	rep := an.Report
	md := report.Markdown(rep, report.MarkdownOptions{Key: r.key(), FullReportHint: r.fullReportHint(), Extra: an.Sections})
	files, err := r.writeReport(rep, md)
	if err != nil {
		return err
	}
	if r.in.Mode == ModeReport {
		if err := r.writePRInfo(decl, bases); err != nil {
			return err
		}
	}
	r.annotate(findings)
	r.summary(md)
	url := ""
	if r.in.Mode == ModeDiff && r.ev.PR != nil {
		url = r.publish(ctx, r.commentPost(r.key(), md, rep, r.ev.PR.Number, r.ev.PR.HeadSHA, an.Sections))
	}
	if r.in.Mode == ModeDiff {
		r.checkRun(ctx, r.key(), md, rep, findings)
	}
	if err := r.outputs(rep, files, url); err != nil {
		return err
	}
	if err := r.moreOutputs(r.reproOutput()...); err != nil {
		return err
	}
	return r.verdict(rep)
}

// verdict reports a failed policy as an error annotation and risk.ErrPolicyFailed.
func (r *runner) verdict(rep *report.Report) error {
	v := rep.Verdict
	if !v.Failed {
		return nil
	}
	r.gha.Errorf("imagedrift: policy failed (fail-on %s): %s", strings.Join(v.FailOn, ","), strings.Join(v.Reasons, "; "))
	return risk.ErrPolicyFailed
}

// buildImages builds the sides that were not given as images, in a work
// directory that cleanup removes with the archives. Watch mode builds the
// head fresh (--pull --no-cache); with reproducible: true the head is
// built twice (see reproCheck) and the first build is the head compared.
func (r *runner) buildImages(ctx context.Context, findings []lint.Finding) (*build.Result, func(), error) {
	in := r.in
	o := build.Options{
		RepoDir: r.workspace, Dockerfile: in.File, Context: in.Context, Target: in.Target,
		BuildArgs: in.BuildArgs, Platform: in.Platform,
		BaseRef: in.BaseRef, BaseImage: in.BaseImage, HeadImage: in.HeadImage,
		Event: r.ev.Name, AllowUntrustedHead: in.AllowUntrustedBuild,
		Log: r.o.Stdout, GitHubActions: r.env("GITHUB_ACTIONS") == "true",
		Pull: in.Mode == ModeWatch, NoCache: in.Mode == ModeWatch,
	}
	if o.BaseRef == "" && r.ev.PR != nil {
		o.BaseRef = r.ev.PR.BaseSHA
	}
	if o.BaseRef == "" && o.BaseImage == "" {
		return nil, nil, &inputError{"base-ref", fmt.Errorf("the %s event has no pull request to compare against: "+
			"set base-ref (a commit, such as ${{ github.event.before }} on push) or base-image", or(r.ev.Name, "(unnamed)"))}
	}
	cleanup := func() {}
	if o.BaseImage == "" || o.HeadImage == "" {
		dir, err := os.MkdirTemp(or(r.env("RUNNER_TEMP"), os.TempDir()), "imagedrift-build-")
		if err != nil {
			return nil, nil, fmt.Errorf("work directory: %w", err)
		}
		o.WorkDir = dir
		cleanup = func() { os.RemoveAll(dir) }
	}
	first, err := r.reproCheck(ctx, o, findings)
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	if first != nil {
		o.HeadImage = first.Ref
	}
	res, err := r.o.build(ctx, o)
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	if first != nil {
		res.Head = *first
	}
	return res, cleanup, nil
}

// loadImages reads both sides (see load.Built).
func (r *runner) loadImages(ctx context.Context, res *build.Result) (base, head *inventory.Inventory, err error) {
	return load.Built(ctx, res, r.sideName, r.loadOptions(), r.o.load)
}

// loadOptions say how the images are read: with the layer cache in the
// cache-dir input's directory, whose problems are warnings; none when the
// input says "none".
func (r *runner) loadOptions() load.Options {
	dir := r.resolve(r.in.CacheDir)
	switch {
	case r.in.CacheDir == "none":
		dir = ""
	case dir == "":
		dir = layercache.DefaultDir(r.env)
	}
	return load.Options{Platform: r.in.Platform, CacheDir: dir, Program: r.o.Version, Warn: func(m string) { r.warn([]string{m}) }}
}

// sideName names a built or missing side: "Dockerfile@9c2f5e3b1a7d".
func (r *runner) sideName(s build.Side) string { return s.Name(r.in.File, r.in.Target) }

// dockerfile reads the head's Dockerfile for linting and for its base
// images; nil when there is none.
func (r *runner) dockerfile() []byte {
	path := filepath.Join(r.workspace, r.in.File)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		r.gha.Warningf("imagedrift: read %s: %v", r.in.File, err)
		return nil
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, lint.MaxSize+1))
	if err != nil || len(src) > lint.MaxSize {
		r.gha.Warningf("imagedrift: read %s: not linted (unreadable or larger than %d bytes)", r.in.File, lint.MaxSize)
		return nil
	}
	return src
}

// lint checks the Dockerfile when the lint input is on. A Dockerfile that
// does not parse is a warning: the diff of the images still stands.
func (r *runner) lint(src []byte) []lint.Finding {
	if !r.in.Lint || src == nil {
		return nil
	}
	l := r.cfg.Lint
	o := lint.Options{Target: l.Target, DeployTarget: l.DeployTarget, Disabled: l.Disabled, Levels: map[string]lint.Level{}}
	for rule, level := range l.Levels {
		o.Levels[rule] = lint.Level(level)
	}
	if r.in.Target != "" {
		o.Target = r.in.Target
	}
	findings, err := lint.Lint(filepath.ToSlash(r.in.File), src, o)
	if err != nil {
		r.gha.Warningf("imagedrift: not linted: %s", oneline.Fold(err.Error()))
		return nil
	}
	return findings
}

// baseImages lists the registry images the Dockerfile builds on.
func baseImages(name string, src []byte) []string {
	if src == nil {
		return nil
	}
	bs, err := lint.BaseImages(name, src)
	if err != nil {
		return nil
	}
	var out []string
	for _, b := range bs {
		if b.Kind == lint.KindImage {
			out = append(out, b.Ref)
		}
	}
	return out
}
