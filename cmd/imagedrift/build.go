package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/imagedrift/imagedrift/internal/build"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/load"
	"github.com/imagedrift/imagedrift/internal/repro"
)

func init() {
	commands["build"] = command{summary: "build the base and head images of a pull request, then diff them", run: runBuild}
}

// buildArgFlag collects repeated --build-arg KEY=VALUE flags.
type buildArgFlag []string

func (f *buildArgFlag) String() string { return strings.Join(*f, ",") }

// Set keeps the argument; build.Build checks it, in an error that does not
// show the value (the flag package's own error would quote it).
func (f *buildArgFlag) Set(kv string) error {
	*f = append(*f, kv)
	return nil
}

// runBuild builds both sides and prints base=REF and head=REF, the image
// references that imagedrift diff takes.
func runBuild(ctx context.Context, args []string, s streams, d *deps) error {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	fs.SetOutput(s.Err)
	var o build.Options
	var buildArgs buildArgFlag
	fs.StringVar(&o.RepoDir, "repo", ".", "the git checkout of the pull request head, built as it is in `DIR`")
	fs.StringVar(&o.Dockerfile, "file", "Dockerfile", "Dockerfile `PATH` relative to the repository")
	fs.StringVar(&o.Context, "context", ".", "build context `DIR` relative to the repository")
	fs.StringVar(&o.Target, "target", "", "build `STAGE`")
	fs.Var(&buildArgs, "build-arg", "build argument `KEY=VALUE` (repeatable); values are never printed")
	fs.StringVar(&o.Platform, "platform", "", "build for `os/arch[/variant]`")
	fs.StringVar(&o.BaseRef, "base-ref", "", "base `COMMIT` (SHA or ref); fetched from origin when the checkout lacks it")
	fs.StringVar(&o.BaseImage, "base-image", "", "use image `REF` as the base instead of building it")
	fs.StringVar(&o.HeadImage, "head-image", "", "use image `REF` as the head instead of building it")
	fs.StringVar(&o.WorkDir, "work-dir", "", "write the image archives to `DIR` (default: a new temporary directory, kept)")
	fs.BoolVar(&o.AllowUntrustedHead, "allow-untrusted-build", false, "build the head under pull_request_target (runs untrusted code with the workflow's token)")
	progress := fs.Bool("progress", false, "show the build output on stderr (default: when stderr is a terminal or in GitHub Actions)")
	printRefs := fs.Bool("print-refs", false, "only build: print the two image references (base=REF, head=REF) instead of the diff")
	twice := fs.Bool("twice", false, "build the head twice instead, with no cache and the commit's time as SOURCE_DATE_EPOCH, and diff the two builds: every difference by its likely cause (risk not-reproducible)")
	format := fs.String("format", "text", "diff output format: text, json or markdown")
	output := fs.String("output", "", "write the diff to `FILE` instead of stdout")
	failOn := fs.String("fail-on", "", "exit 1 when a risk matches (as for diff)")
	cfgPath := fs.String("config", "", "configuration `FILE` (default: .github/imagedrift.yml if present)")
	vulnOpts := addVulnFlags(fs)
	cacheDir := addCacheFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(s.Err, "usage: imagedrift build --base-ref COMMIT|--base-image REF [flags]")
		fmt.Fprintln(s.Err, "       imagedrift build --twice [flags]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return usagef("build takes no arguments, got %q", fs.Arg(0))
	}
	if *twice {
		if o.BaseRef != "" || o.BaseImage != "" || o.HeadImage != "" || *printRefs {
			return usagef("--twice builds the head twice and compares the two builds: it takes no --base-ref, --base-image, --head-image or --print-refs")
		}
	} else if o.BaseRef == "" && o.BaseImage == "" {
		return usagef("build needs the base: --base-ref COMMIT or --base-image REF (or --twice)")
	}
	var dc *diffCmd
	if !*printRefs {
		var err error
		if dc, err = newDiffCmd(*format, *output, flagSet(fs, "fail-on"), *failOn, *cfgPath); err != nil {
			return err
		}
		dc.vulns, dc.newVulns, dc.cacheDir = vulnOpts(), d.vulns, cacheDir()
		if err := dc.checkVulns(); err != nil {
			return err
		}
	}
	o.BuildArgs = buildArgs
	o.Event = os.Getenv("GITHUB_EVENT_NAME")
	o.GitHubActions = os.Getenv("GITHUB_ACTIONS") == "true"
	o.Log = io.Discard
	if *progress || s.ErrTTY || o.GitHubActions {
		o.Log = s.Err
	}
	madeWorkDir := false
	if o.WorkDir == "" && (*twice || o.BaseImage == "" || o.HeadImage == "") {
		dir, err := os.MkdirTemp("", "imagedrift-build-")
		if err != nil {
			return fmt.Errorf("work directory: %w", err)
		}
		o.WorkDir, madeWorkDir = dir, true
	}
	if madeWorkDir && *twice {
		defer os.RemoveAll(o.WorkDir)
	}
	if *twice {
		return runTwice(ctx, s, dc, o, *progress)
	}
	res, err := build.Build(ctx, o)
	if err != nil {
		if madeWorkDir {
			os.RemoveAll(o.WorkDir)
		}
		var be *build.BuildError
		if errors.As(err, &be) && o.Log == io.Discard {
			// The output was not shown: its end says why the build failed.
			fmt.Fprintf(s.Err, "last lines of the %s build:\n%s", be.Side, be.Tail())
		}
		return err
	}
	for _, side := range []struct {
		name string
		s    build.Side
	}{{"base", res.Base}, {"head", res.Head}} {
		if side.s.Missing {
			fmt.Fprintf(s.Err, "imagedrift: %s has no %s: compared as an empty image\n", side.name, o.Dockerfile)
		}
	}
	if *printRefs {
		fmt.Fprintf(s.Out, "base=%s\nhead=%s\n", res.Base.Ref, res.Head.Ref)
		return nil
	}
	if madeWorkDir {
		defer os.RemoveAll(o.WorkDir)
	}
	dc.base, dc.head, dc.platform, dc.progress = res.Base.Ref, res.Head.Ref, o.Platform, *progress
	// The head's Dockerfile is linted too: its drift sources join the report.
	if df := filepath.Join(o.RepoDir, o.Dockerfile); !res.Head.Missing && fileExists(df) {
		dc.dockerfile = df
	}
	dc.dockerfiles = load.Dockerfiles(res, o.Dockerfile, o.Target, nil)
	dc.load = func(ctx context.Context, _, _ string, lo loadOptions) (*inventory.Inventory, *inventory.Inventory, error) {
		return load.Built(ctx, res, func(side build.Side) string { return side.Name(o.Dockerfile, o.Target) }, lo, d.load)
	}
	return dc.run(ctx, s)
}

// runTwice builds the head twice and reports the two builds' diff, with
// every difference classified and the not-reproducible risks.
func runTwice(ctx context.Context, s streams, dc *diffCmd, o build.Options, progress bool) error {
	dc.platform, dc.progress = o.Platform, progress
	if df := filepath.Join(o.RepoDir, o.Dockerfile); fileExists(df) {
		dc.dockerfile = df
	}
	dc.load = func(ctx context.Context, _, _ string, lo loadOptions) (*inventory.Inventory, *inventory.Inventory, error) {
		res, err := repro.Check(ctx, repro.Options{Build: o, Config: dc.cfg, Findings: dc.findings, Load: lo})
		if err != nil {
			var be *build.BuildError
			if errors.As(err, &be) && o.Log == io.Discard {
				fmt.Fprintf(s.Err, "last lines of the %s build:\n%s", be.Side, be.Tail())
			}
			return nil, nil, err
		}
		dc.contributors = append(dc.contributors, res.Contributor())
		return res.First, res.Second, nil
	}
	return dc.run(ctx, s)
}

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}
