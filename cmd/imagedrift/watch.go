package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/imagedrift/imagedrift/internal/build"
	"github.com/imagedrift/imagedrift/internal/drift"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/load"
)

func init() {
	commands["watch"] = command{summary: "rebuild the current commit fresh and compare it with the deployed image or a saved inventory", run: runWatch}
}

// watchFlags are watch's own flags beside the diff's.
type watchFlags struct {
	o         build.Options
	buildArgs buildArgFlag
	noPull    bool
	progress  bool
	format    string
	output    string
	failOn    string
	cfgPath   string
}

func (w *watchFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&w.o.RepoDir, "repo", ".", "the git checkout whose working tree is built, in `DIR`")
	fs.StringVar(&w.o.Dockerfile, "file", "Dockerfile", "Dockerfile `PATH` relative to the repository")
	fs.StringVar(&w.o.Context, "context", ".", "build context `DIR` relative to the repository")
	fs.StringVar(&w.o.Target, "target", "", "build `STAGE`")
	fs.Var(&w.buildArgs, "build-arg", "build argument `KEY=VALUE` (repeatable); values are never printed")
	fs.StringVar(&w.o.Platform, "platform", "", "build and compare `os/arch[/variant]`")
	fs.StringVar(&w.o.HeadImage, "head-image", "", "compare image `REF` instead of building the checkout")
	fs.StringVar(&w.o.WorkDir, "work-dir", "", "write the image archive to `DIR` (default: a temporary directory, removed)")
	fs.BoolVar(&w.noPull, "no-pull", false, "build on the base images the engine has instead of pulling them (--pull is the default: a fresh build)")
	fs.BoolVar(&w.progress, "progress", false, "show the build output and each layer read on stderr (default: when stderr is a terminal)")
	fs.StringVar(&w.format, "format", "text", "output format: text, json or markdown")
	fs.StringVar(&w.output, "output", "", "write the report to `FILE` instead of stdout")
	fs.StringVar(&w.failOn, "fail-on", "", "exit 1 when a risk matches (as for diff)")
	fs.StringVar(&w.cfgPath, "config", "", "configuration `FILE` (default: .github/imagedrift.yml if present)")
}

// runWatch builds the checkout fresh (--pull --no-cache) and reports how it
// differs from the reference: what drifted, and which lint findings let it.
func runWatch(ctx context.Context, args []string, s streams, d *deps) error {
	fs := flag.NewFlagSet("watch", flag.ContinueOnError)
	fs.SetOutput(s.Err)
	var w watchFlags
	w.register(fs)
	vulnOpts := addVulnFlags(fs)
	cacheDir := addCacheFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(s.Err, "usage: imagedrift watch REFERENCE [flags]")
		fmt.Fprintln(s.Err, "  REFERENCE is the image deployed (registry:REF, daemon:NAME, docker-archive:PATH, …)")
		fmt.Fprintln(s.Err, "  or an inventory saved by imagedrift inventory --format json (inventory:PATH)")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usagef("watch takes one REFERENCE, the image to compare with; got %d", fs.NArg())
	}
	dc, err := newDiffCmd(w.format, w.output, flagSet(fs, "fail-on"), w.failOn, w.cfgPath)
	if err != nil {
		return err
	}
	dc.vulns, dc.newVulns, dc.cacheDir = vulnOpts(), d.vulns, cacheDir()
	if err := dc.checkVulns(); err != nil {
		return err
	}
	o := w.o
	o.BaseImage, o.BuildArgs = fs.Arg(0), w.buildArgs
	o.Pull, o.NoCache = !w.noPull, true
	o.GitHubActions = os.Getenv("GITHUB_ACTIONS") == "true"
	o.Log = io.Discard
	if w.progress || s.ErrTTY || o.GitHubActions {
		o.Log = s.Err
	}
	if o.WorkDir == "" && o.HeadImage == "" {
		dir, err := os.MkdirTemp("", "imagedrift-watch-")
		if err != nil {
			return fmt.Errorf("work directory: %w", err)
		}
		defer os.RemoveAll(dir)
		o.WorkDir = dir
	}
	return watch(ctx, s, d, dc, o, w.progress)
}

// watch builds (or takes) the head and runs the diff with the drift
// contributor.
func watch(ctx context.Context, s streams, d *deps, dc *diffCmd, o build.Options, progress bool) error {
	res, err := build.Build(ctx, o)
	if err != nil {
		var be *build.BuildError
		if errors.As(err, &be) && o.Log == io.Discard {
			fmt.Fprintf(s.Err, "last lines of the %s build:\n%s", be.Side, be.Tail())
		}
		return err
	}
	if res.Head.Missing {
		return fmt.Errorf("watch: %s does not exist at %s: nothing to build (give --head-image to compare an image)", o.Dockerfile, o.RepoDir)
	}
	dc.base, dc.head, dc.platform, dc.progress = res.Base.Ref, res.Head.Ref, o.Platform, progress
	df := filepath.Join(o.RepoDir, o.Dockerfile)
	if res.Head.Built && fileExists(df) {
		dc.dockerfile = df
	}
	dc.load = func(ctx context.Context, _, _ string, lo loadOptions) (*inventory.Inventory, *inventory.Inventory, error) {
		base, head, err := load.Built(ctx, res, func(side build.Side) string { return side.Name(o.Dockerfile, o.Target) }, lo, d.load)
		if err != nil {
			return nil, nil, err
		}
		in := drift.WatchInput{Findings: dc.findings}
		if res.Head.Built {
			in.BaseName, in.BaseNow = baseNow(ctx, o.Docker, df)
		}
		dc.contributors = append(dc.contributors, drift.WatchContributor(in))
		return base, head, nil
	}
	return dc.run(ctx, s)
}

// baseNow names the image the Dockerfile's last stage builds on and the
// digest the fresh build pulled for it, each "" when not known.
func baseNow(ctx context.Context, docker, dockerfile string) (name, digest string) {
	src, err := readDockerfile(dockerfile)
	if err != nil {
		return "", ""
	}
	name = drift.FinalBase(filepath.Base(dockerfile), src)
	if name == "" {
		return "", ""
	}
	digest, _ = build.RepoDigest(ctx, docker, name)
	return name, digest
}
