package analysis

import (
	"context"
	"fmt"

	"github.com/imagedrift/imagedrift/internal/config"
	"github.com/imagedrift/imagedrift/internal/diff"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/lint"
	"github.com/imagedrift/imagedrift/internal/origin"
	"github.com/imagedrift/imagedrift/internal/report"
	"github.com/imagedrift/imagedrift/internal/risk"
)

// Contribution is what a contributor adds to a report.
type Contribution struct {
	// Risks join the report's own, at the policy's level for their id.
	Risks []risk.Risk
	// Sections are Markdown for the comment and the job summary, already
	// escaped; they follow the risks table.
	Sections []report.Section
	// Apply, when set, records the contribution's data in the report
	// (for the JSON contract); it runs before the risks are evaluated.
	Apply func(*report.Report)
	// Warnings tell the caller what went wrong without failing the run
	// (data out of reach, so that the report is less than asked for), one
	// line each; the CLI prints them on stderr, the action as warnings.
	Warnings []string
}

// Contributor adds what it knows of a report's changes: it reads the
// report as built so far (packages, files, config; no risks yet). The
// comment phase of the action, which has only the JSON report, runs the
// same contributors on the report it read back.
type Contributor interface {
	Contribute(ctx context.Context, rep *report.Report) (Contribution, error)
}

// ContributorFunc adapts a function to Contributor.
type ContributorFunc func(ctx context.Context, rep *report.Report) (Contribution, error)

// Contribute calls f.
func (f ContributorFunc) Contribute(ctx context.Context, rep *report.Report) (Contribution, error) {
	return f(ctx, rep)
}

// Input is one comparison to analyse.
type Input struct {
	Base, Head *inventory.Inventory
	// Findings are the head Dockerfile's lint findings (nil: not linted).
	Findings []lint.Finding
	// Dockerfiles are those the base and the head were built from, when
	// known: each layer is then matched with the instruction that made it.
	Dockerfiles [2]*origin.Dockerfile
	// Config is the configuration (nil: the defaults).
	Config *config.Config
	// FailOn overrides the configuration's failOn when not nil.
	FailOn       []string
	Version      string // imagedrift's
	Contributors []Contributor
}

// Result is the report and the Markdown sections the contributors added.
type Result struct {
	Report   *report.Report
	Sections []report.Section
	// Warnings are the contributors', in order.
	Warnings []string
}

// Run diffs the two inventories and builds the report with its risks and
// verdict. A contributor's error stops the run: a contributor that can go
// on without its data (a vulnerability database out of reach) says so in
// its own contribution instead.
func Run(ctx context.Context, in Input) (*Result, error) {
	cfg := in.Config
	if cfg == nil {
		cfg = config.Default()
	}
	opts := cfg.DiffOptions()
	opts.Dockerfiles = in.Dockerfiles
	ch := diff.Compare(in.Base, in.Head, opts)
	rep := report.Build(report.Input{Base: in.Base, Head: in.Head, Changes: ch, Findings: in.Findings, Version: in.Version})
	got, err := contribute(ctx, rep, in.Contributors)
	if err != nil {
		return nil, err
	}
	res := &Result{Report: rep}
	var extra []risk.Risk
	for _, c := range got {
		if c.Apply != nil {
			c.Apply(rep)
		}
		extra = append(extra, c.Risks...)
		res.Sections = append(res.Sections, c.Sections...)
		res.Warnings = append(res.Warnings, c.Warnings...)
	}
	risks, verdict := risk.Evaluate(ch, in.Findings, cfg.Policy(in.FailOn), extra...)
	rep.SetRisks(risks, verdict)
	return res, nil
}

// Sections runs the contributors on a report read back from JSON, for the
// Markdown they add. The report is left as it is: its data, risks and
// verdict were decided when it was written.
func Sections(ctx context.Context, rep *report.Report, contributors []Contributor) ([]report.Section, error) {
	got, err := contribute(ctx, rep, contributors)
	if err != nil {
		return nil, err
	}
	var out []report.Section
	for _, c := range got {
		out = append(out, c.Sections...)
	}
	return out, nil
}

func contribute(ctx context.Context, rep *report.Report, contributors []Contributor) ([]Contribution, error) {
	out := make([]Contribution, 0, len(contributors))
	for _, c := range contributors {
		got, err := c.Contribute(ctx, rep)
		if err != nil {
			return nil, fmt.Errorf("analyse: %w", err)
		}
		out = append(out, got)
	}
	return out, nil
}
