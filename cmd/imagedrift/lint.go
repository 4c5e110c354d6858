package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/imagedrift/imagedrift/internal/config"
	"github.com/imagedrift/imagedrift/internal/lint"
	"github.com/imagedrift/imagedrift/internal/lint/fix"
	"github.com/imagedrift/imagedrift/internal/lint/output"
	"github.com/imagedrift/imagedrift/internal/risk"
)

func init() {
	commands["lint"] = command{summary: "check Dockerfiles for sources of image drift", run: runLint}
}

// lintCmd is one run of imagedrift lint.
type lintCmd struct {
	files    []string
	format   string
	output   string
	fix      bool
	failOn   failOn
	opts     lint.Options
	resolver fix.Resolver
}

func runLint(ctx context.Context, args []string, s streams, d *deps) error {
	c, err := parseLintArgs(args, s.Err)
	if err != nil {
		return err
	}
	return c.run(ctx, s)
}

func parseLintArgs(args []string, stderr io.Writer) (*lintCmd, error) {
	fs := flag.NewFlagSet("lint", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "output format: text, json or sarif")
	out := fs.String("output", "", "write to `FILE` instead of stdout (- is stdout; a device or FIFO is written, never replaced)")
	target := fs.String("target", "", "the build target `STAGE` (default: the configuration's, else the last stage)")
	doFix := fs.Bool("fix", false, "pin FROM images to the digests their tags point at now, editing the files in place")
	fail := fs.String("fail-on", "", "exit 1 when a finding is at or above `LEVEL` (low, medium, high) or has one of the given rule ids (comma-separated); default: never")
	cfgPath := fs.String("config", "", "configuration `FILE` (default: .github/imagedrift.yml if present)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: imagedrift lint [DOCKERFILE...] [--format text|json|sarif] [--output FILE] [--target T] [--fix] [--fail-on LEVEL|RULES]")
		fs.PrintDefaults()
		fmt.Fprintln(stderr, "\nrules (silence one with a comment above the instruction: # imagedrift:ignore RULE[,RULE…]):")
		for _, r := range lint.Rules() {
			fmt.Fprintf(stderr, "  %-22s %-6s %s\n", r.ID, r.Level, r.Summary)
		}
	}
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	c := &lintCmd{files: fs.Args(), format: *format, output: *out, fix: *doFix, resolver: fix.Registry{}}
	if len(c.files) == 0 {
		c.files = []string{"Dockerfile"}
	}
	switch c.format {
	case "text", "json", "sarif":
	default:
		return nil, usagef("--format %q: want text, json or sarif", c.format)
	}
	var err error
	if c.failOn, err = parseFailOn(*fail); err != nil {
		return nil, err
	}
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		return nil, err
	}
	c.opts = lintOptions(cfg.Lint)
	if *target != "" {
		c.opts.Target = *target
	}
	return c, nil
}

// lintOptions maps the configuration file's lint section.
func lintOptions(l config.Lint) lint.Options {
	o := lint.Options{Target: l.Target, DeployTarget: l.DeployTarget, Disabled: l.Disabled, Levels: map[string]lint.Level{}}
	for rule, level := range l.Levels {
		o.Levels[rule] = lint.Level(level)
	}
	return o
}

func (c *lintCmd) run(ctx context.Context, s streams) error {
	var all []lint.Finding
	for _, name := range c.files {
		src, err := readDockerfile(name)
		if err != nil {
			return err
		}
		if c.fix {
			if src, err = c.pin(ctx, name, src, s.Err); err != nil {
				return err
			}
		}
		findings, err := lint.Lint(name, src, c.opts)
		if err != nil {
			return err
		}
		all = append(all, findings...)
	}
	if err := writeOutput(c.output, s.Out, func(w io.Writer) error { return c.render(w, all) }); err != nil {
		return err
	}
	if n := c.failOn.count(all); n > 0 {
		fmt.Fprintf(s.Err, "imagedrift: lint: %d finding(s) match --fail-on %s\n", n, c.failOn)
		return risk.ErrPolicyFailed
	}
	return nil
}

func (c *lintCmd) render(w io.Writer, findings []lint.Finding) error {
	switch c.format {
	case "json":
		return output.JSON(w, findings)
	case "sarif":
		wd, _ := os.Getwd()
		return output.SARIF(w, findings, output.SARIFOptions{ToolVersion: version, Rules: c.rules(), BaseDir: wd})
	}
	return output.Text(w, findings)
}

// rules are the enabled rules at the levels in force, for SARIF's driver.
func (c *lintCmd) rules() []lint.Rule {
	var out []lint.Rule
	for _, r := range lint.Rules() {
		if c.opts.Disabled[r.ID] {
			continue
		}
		if l, ok := c.opts.Levels[r.ID]; ok && l.Valid() {
			r.Level = l
		}
		out = append(out, r)
	}
	return out
}

// pin rewrites the file's FROM lines with digests and says what it did.
func (c *lintCmd) pin(ctx context.Context, name string, src []byte, stderr io.Writer) ([]byte, error) {
	fixed, res, err := fix.Pin(ctx, name, src, c.resolver)
	if err != nil {
		return nil, err
	}
	for _, p := range res.Pinned {
		fmt.Fprintf(stderr, "%s:%d: pinned %s\n", name, p.Line, p.To)
	}
	for _, sk := range res.Skipped {
		fmt.Fprintf(stderr, "%s:%d: left %s alone: %s\n", name, sk.Line, sk.Image, sk.Reason)
	}
	if len(res.Pinned) == 0 {
		return src, nil
	}
	info, err := os.Stat(name)
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", name, err)
	}
	if err := os.WriteFile(name, fixed, info.Mode().Perm()); err != nil {
		return nil, fmt.Errorf("write %s: %w", name, err)
	}
	return fixed, nil
}

func readDockerfile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("read Dockerfile: %w", err)
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, lint.MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(src) > lint.MaxSize {
		return nil, fmt.Errorf("read %s: larger than %d bytes, not a Dockerfile", name, lint.MaxSize)
	}
	return src, nil
}

// failOn is the --fail-on policy: a minimum level and/or rule ids.
type failOn struct {
	level lint.Level
	rules map[string]bool
	text  string
}

func parseFailOn(s string) (failOn, error) {
	f := failOn{rules: map[string]bool{}, text: s}
	if s == "" || s == "none" {
		return f, nil
	}
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimPrefix(strings.TrimSpace(item), "lint:")
		switch {
		case lint.Level(item).Valid():
			if f.level == "" || lint.Level(item).Rank() < f.level.Rank() {
				f.level = lint.Level(item)
			}
		case lint.IsRule(item):
			f.rules[item] = true
		default:
			return f, usagef("--fail-on %q: %q is neither a level (low, medium, high) nor a rule id (see imagedrift lint --help)", s, item)
		}
	}
	return f, nil
}

func (f failOn) String() string { return f.text }

func (f failOn) count(findings []lint.Finding) int {
	n := 0
	for _, x := range findings {
		if f.rules[x.Rule] || (f.level != "" && x.Level.Rank() >= f.level.Rank()) {
			n++
		}
	}
	return n
}
