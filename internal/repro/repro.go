package repro

import (
	"context"
	"fmt"
	"strconv"

	"github.com/imagedrift/imagedrift/internal/analysis"
	"github.com/imagedrift/imagedrift/internal/build"
	"github.com/imagedrift/imagedrift/internal/config"
	"github.com/imagedrift/imagedrift/internal/drift"
	"github.com/imagedrift/imagedrift/internal/image"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/lint"
	"github.com/imagedrift/imagedrift/internal/load"
	"github.com/imagedrift/imagedrift/internal/report"
)

// Options say what to build and how to read it.
type Options struct {
	// Build is the head to build (RepoDir, Dockerfile, Context, Target,
	// BuildArgs, Platform, WorkDir, Log, Pull); the base fields are not used.
	Build    build.Options
	Config   *config.Config // nil: the defaults
	Findings []lint.Finding // the Dockerfile's, to explain the causes
	Load     load.Options
	// Twice builds; nil is build.Twice.
	Twice func(context.Context, build.Options) (*build.TwiceResult, error)
}

// Result is the two builds and what they show.
type Result struct {
	Twice           *build.TwiceResult
	First, Second   *inventory.Inventory
	Reproducibility *report.Reproducibility
}

// Check builds the head twice and classifies the differences. The two
// archives stay in the work directory (the caller removes it).
func Check(ctx context.Context, o Options) (*Result, error) {
	twice := o.Twice
	if twice == nil {
		twice = build.Twice
	}
	tw, err := twice(ctx, o.Build)
	if err != nil {
		return nil, err
	}
	first, second, err := load.Pair(ctx, tw.First.Ref, tw.Second.Ref, o.Load)
	if err != nil {
		return nil, err
	}
	first, second = named(first, tw.First, &o.Build, "first"), named(second, tw.Second, &o.Build, "second")
	return classify(ctx, tw, first, second, o)
}

// classify compares two builds already read: their report, a probe of
// each image for file times and small files, and the classification.
func classify(ctx context.Context, tw *build.TwiceResult, first, second *inventory.Inventory, o Options) (*Result, error) {
	res, err := analysis.Run(ctx, analysis.Input{Base: first, Head: second, Config: o.Config, FailOn: []string{}})
	if err != nil {
		return nil, err
	}
	in := drift.ReproInput{First: first, Second: second, Findings: o.Findings, Builder: tw.Builder,
		RewritesTimestamps: tw.RewritesTimestamps}
	if in.Epoch, err = strconv.ParseInt(tw.Epoch, 10, 64); err != nil {
		return nil, fmt.Errorf("SOURCE_DATE_EPOCH %q: %w", tw.Epoch, err)
	}
	if !res.Report.Identical {
		want := sampled(res.Report)
		for i, ref := range []string{tw.First.Ref, tw.Second.Ref} {
			if in.Probes[i], err = probe(ctx, ref, o.Load.Platform, want); err != nil {
				return nil, err
			}
		}
	}
	return &Result{Twice: tw, First: first, Second: second, Reproducibility: drift.Classify(res.Report, in)}, nil
}

// maxSampled bounds the files whose content is compared.
const maxSampled = 500

// sampled picks the changed regular files small enough to compare.
func sampled(rep *report.Report) func(string) bool {
	want := map[string]bool{}
	for _, e := range rep.Files.Entries {
		if len(want) == maxSampled {
			break
		}
		if e.Type == "file" && e.SizeBefore <= drift.MaxSample && e.SizeAfter <= drift.MaxSample {
			want[e.Path] = true
		}
	}
	return func(p string) bool { return want[p] }
}

func probe(ctx context.Context, ref, platform string, want func(string) bool) (*drift.Probe, error) {
	img, err := image.Open(ctx, ref, image.Options{Platform: platform})
	if err != nil {
		return nil, err
	}
	defer img.Close()
	p, err := drift.ReadProbe(ctx, img.Image, want)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ref, err)
	}
	return p, nil
}

// named names a build as reports show it: "Dockerfile@9c2f5e3b1a7d
// (first build)", since its archive is gone once the run ends.
func named(inv *inventory.Inventory, s build.Side, o *build.Options, which string) *inventory.Inventory {
	cp := *inv
	cp.Ref = s.Name(or(o.Dockerfile, "Dockerfile"), o.Target) + " (" + which + " build)"
	return &cp
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Contributor adds the result to a report (risks, section, JSON field).
func (r *Result) Contributor() analysis.Contributor {
	return drift.ReproContributor(r.Reproducibility)
}
