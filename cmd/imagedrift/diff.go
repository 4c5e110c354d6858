package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/imagedrift/imagedrift/internal/analysis"
	"github.com/imagedrift/imagedrift/internal/config"
	"github.com/imagedrift/imagedrift/internal/drift"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/lint"
	"github.com/imagedrift/imagedrift/internal/origin"
	"github.com/imagedrift/imagedrift/internal/report"
	"github.com/imagedrift/imagedrift/internal/risk"
	"github.com/imagedrift/imagedrift/internal/vulns"
)

func init() {
	commands["diff"] = command{summary: "show what changed between two images, and the risks", run: runDiff}
}

// diffCmd is one run of imagedrift diff.
type diffCmd struct {
	base, head string
	format     string
	output     string
	failOn     []string // nil: the configuration's
	cfg        *config.Config
	platform   string
	dockerfile string
	// dockerfiles are the base's and the head's, when built here;
	// otherwise --dockerfile stands for the head's.
	dockerfiles [2]*origin.Dockerfile
	progress    bool
	// cacheDir is the layer cache's directory; "" for none.
	cacheDir string
	// vulns says which vulnerability data to look up; nil for none.
	vulns *vulns.SourceOptions
	// load reads the two inventories.
	load func(ctx context.Context, base, head string, o loadOptions) (*inventory.Inventory, *inventory.Inventory, error)
	// newVulns makes the vulnerability source.
	newVulns func(vulns.SourceOptions) (*vulns.Opened, error)
	// findings are the Dockerfile's, once linted; load may read them.
	findings []lint.Finding
	// contributors add to the report (load may add some); sections are
	// the Markdown they added.
	contributors []analysis.Contributor
	sections     []report.Section
}

// newDiffCmd checks the report flags that diff and build share.
func newDiffCmd(format, output string, failOnSet bool, failOn, cfgPath string) (*diffCmd, error) {
	c := &diffCmd{format: format, output: output}
	switch c.format {
	case "text", "json", "markdown":
	default:
		return nil, usagef("--format %q: want text, json or markdown", c.format)
	}
	if failOnSet {
		terms, err := checkDiffFailOn(failOn)
		if err != nil {
			return nil, err
		}
		c.failOn = terms
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		return nil, err
	}
	c.cfg = cfg
	return c, nil
}

func runDiff(ctx context.Context, args []string, s streams, d *deps) error {
	c, err := parseDiffArgs(args, s.Err)
	if err != nil {
		return err
	}
	c.load, c.newVulns = d.load, d.vulns
	return c.run(ctx, s)
}

func parseDiffArgs(args []string, stderr io.Writer) (*diffCmd, error) {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "output format: text, json or markdown")
	out := fs.String("output", "", "write to `FILE` instead of stdout (- is stdout; a device or FIFO is written, never replaced)")
	fail := fs.String("fail-on", "", "exit 1 when a risk matches: levels (low, medium, high: that level or above) and risk ids, comma-separated; default: the configuration's, else never")
	cfgPath := fs.String("config", "", "configuration `FILE` (default: .github/imagedrift.yml if present)")
	platform := fs.String("platform", "", "pick `os/arch[/variant]` from multi-platform images (default linux/host arch)")
	dockerfile := fs.String("dockerfile", "", "lint `FILE` too and report its drift sources")
	progress := fs.Bool("progress", false, "report each layer read on stderr (default: only when stderr is a terminal)")
	vulnOpts := addVulnFlags(fs)
	cacheDir := addCacheFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: imagedrift diff BASE HEAD [--format text|json|markdown] [--output FILE] [--fail-on LIST] [--config FILE] [--platform os/arch] [--dockerfile FILE] [--vulns | --vulns-db DIR] [--cache-dir DIR | --no-cache]")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return nil, usagef("diff takes two image references, BASE and HEAD; got %d", fs.NArg())
	}
	c, err := newDiffCmd(*format, *out, flagSet(fs, "fail-on"), *fail, *cfgPath)
	if err != nil {
		return nil, err
	}
	c.base, c.head, c.platform, c.dockerfile, c.progress = fs.Arg(0), fs.Arg(1), *platform, *dockerfile, *progress
	c.vulns, c.cacheDir = vulnOpts(), cacheDir()
	if err := c.checkVulns(); err != nil {
		return nil, err
	}
	return c, nil
}

func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// checkDiffFailOn reads --fail-on (lint rule ids are checked against the
// rules that exist).
func checkDiffFailOn(s string) ([]string, error) {
	terms, err := risk.ParseFailOn(s)
	if err != nil {
		return nil, usagef("--fail-on: %v", err)
	}
	return terms, nil
}

func (c *diffCmd) run(ctx context.Context, s streams) error {
	var findings []lint.Finding
	if c.dockerfile != "" {
		src, err := readDockerfile(c.dockerfile)
		if err != nil {
			return err
		}
		if findings, err = lint.Lint(c.dockerfile, src, lintOptions(c.cfg.Lint)); err != nil {
			return err
		}
		if c.dockerfiles[1] == nil {
			c.dockerfiles[1] = &origin.Dockerfile{Name: filepath.ToSlash(c.dockerfile), Source: src, Target: c.cfg.Lint.Target}
		}
	}
	c.findings = findings
	// The vulnerability source is made first: a database that is not
	// there fails now, not after the images were read.
	var src *vulns.Opened
	if c.vulns != nil {
		var err error
		if src, err = c.newVulns(*c.vulns); err != nil {
			return fmt.Errorf("vulnerability data: %w", err)
		}
		defer src.Release()
		warn(s.Err, src.Warnings...)
	}
	o := loadOptions{Platform: c.platform, CacheDir: c.cacheDir, Program: version, Warn: func(m string) { warn(s.Err, m) }}
	if c.progress || s.ErrTTY {
		o.Progress = s.Err
	}
	base, head, err := c.load(ctx, c.base, c.head, o)
	if err != nil {
		return err
	}
	r, warnings, err := c.report(ctx, base, head, findings, src)
	if err != nil {
		return err
	}
	warn(s.Err, warnings...)
	if err := writeOutput(c.output, s.Out, func(w io.Writer) error { return c.render(w, r, s) }); err != nil {
		return err
	}
	if r.Verdict.Failed {
		fmt.Fprintf(s.Err, "imagedrift: diff: policy failed (--fail-on %s): %s\n",
			strings.Join(r.Verdict.FailOn, ","), strings.Join(r.Verdict.Reasons, "; "))
		return risk.ErrPolicyFailed
	}
	return nil
}

// report analyses the images, with the contributors load added and the
// known vulnerabilities of src when the run asked for them; it returns
// the contributors' warnings, and keeps the sections they added.
func (c *diffCmd) report(ctx context.Context, base, head *inventory.Inventory, findings []lint.Finding, src *vulns.Opened) (*report.Report, []string, error) {
	in := analysis.Input{Base: base, Head: head, Findings: findings, Dockerfiles: c.dockerfiles, Config: c.cfg,
		FailOn: c.failOn, Version: version, Contributors: append([]analysis.Contributor{}, c.contributors...)}
	if src != nil {
		in.Contributors = append(in.Contributors, vulns.Contributor(src.Source, base, head, vulns.ContributorOptions{
			Source: src.Info, Required: vulns.RequiredBy(c.cfg.Policy(c.failOn).FailOn)}))
	}
	res, err := analysis.Run(ctx, in)
	if err != nil {
		return nil, nil, err
	}
	c.sections = res.Sections
	return res.Report, res.Warnings, nil
}

func (c *diffCmd) render(w io.Writer, r *report.Report, s streams) error {
	switch c.format {
	case "json":
		return report.WriteJSON(w, r)
	case "markdown":
		_, err := io.WriteString(w, report.Markdown(r, report.MarkdownOptions{Key: c.cfg.Comment.Key, Extra: c.sections}))
		return err
	}
	color := s.OutTTY && c.output == "" && os.Getenv("NO_COLOR") == ""
	if err := report.WriteText(w, r, report.TextOptions{Color: color}); err != nil {
		return err
	}
	return drift.WriteText(w, r)
}
