package drift

import (
	"context"
	"fmt"
	"strings"

	"github.com/imagedrift/imagedrift/internal/analysis"
	"github.com/imagedrift/imagedrift/internal/lint"
	"github.com/imagedrift/imagedrift/internal/report"
)

// WatchInput is what Summarize knows beside the report of the reference
// (base) against the fresh build (head).
type WatchInput struct {
	Findings []lint.Finding // the Dockerfile's
	// BaseName is the final stage's base image as the Dockerfile names it,
	// BaseNow the digest it names now (after the fresh build pulled it);
	// each "" when not known.
	BaseName, BaseNow string
}

// Summarize says what drifted, kind by kind, and which findings let it.
// Timestamps never count (they are not compared), nor noise paths, nor
// config values that differ only in a date (a build-date label).
func Summarize(rep *report.Report, in WatchInput) *report.Drift {
	d := &report.Drift{Parts: []report.DriftPart{}}
	if rep.Identical {
		return d
	}
	for _, p := range []*report.DriftPart{
		basePart(rep, &in), packagePart(rep, true, in.Findings), packagePart(rep, false, in.Findings),
		filesPart(rep, in.Findings), configPart(rep, in.Findings),
	} {
		if p != nil {
			d.Parts = append(d.Parts, *p)
		}
	}
	d.Drifted = len(d.Parts) > 0
	return d
}

// basePart: the base moved when both sides record base digests that
// differ, when the digest the base names now is not the one the
// reference records, or when no bottom layer is shared.
func basePart(rep *report.Report, in *WatchInput) *report.DriftPart {
	var from, to, name string
	if b := rep.Base.BaseImage; b != nil {
		from, name = b.Digest, b.Name
	}
	if h := rep.Head.BaseImage; h != nil {
		to, name = h.Digest, or(h.Name, name)
	}
	to, name = or(in.BaseNow, to), or(in.BaseName, name)
	// Images built on no base (FROM scratch) share no bottom layers with
	// anything: that is not a base that moved.
	noBase := rep.Base.BaseImage != nil && rep.Base.BaseImage.None && rep.Head.BaseImage != nil && rep.Head.BaseImage.None
	layersMoved := !noBase && rep.Layers.Shared == 0 && len(rep.Layers.Base) > 0 && len(rep.Layers.Head) > 0
	if !(from != "" && to != "" && from != to) && !layersMoved {
		return nil
	}
	p := &report.DriftPart{Kind: report.DriftBaseImage, Changes: 1, From: from, To: to, Causes: causes(in.Findings, baseRules)}
	what := "the base image"
	if name != "" {
		what = name
	}
	switch {
	case from != "" && to != "":
		p.Summary = fmt.Sprintf("%s moved from %s to %s", what, from, to)
	case to != "":
		p.Summary = fmt.Sprintf("%s is at %s now; the reference shares none of its layers and records no base digest", what, to)
	default:
		p.Summary = fmt.Sprintf("%s moved: the reference shares none of the fresh build's bottom layers", what)
	}
	return p
}

// packagePart sums the package changes of the OS's package managers, or
// of the language ecosystems.
func packagePart(rep *report.Report, osPkgs bool, findings []lint.Finding) *report.DriftPart {
	var changed, added, removed int
	var examples []string
	for _, c := range rep.Packages.Changed {
		if osEcosystems[c.Ecosystem] == osPkgs {
			changed++
			examples = append(examples, fmt.Sprintf("%s %s → %s", c.Name, c.From, c.To))
		}
	}
	for _, k := range rep.Packages.Added {
		if osEcosystems[k.Ecosystem] == osPkgs {
			added++
			examples = append(examples, k.Name+" "+k.Version+" added")
		}
	}
	for _, k := range rep.Packages.Removed {
		if osEcosystems[k.Ecosystem] == osPkgs {
			removed++
			examples = append(examples, k.Name+" "+k.Version+" removed")
		}
	}
	n := changed + added + removed
	if n == 0 {
		return nil
	}
	p := &report.DriftPart{Kind: report.DriftLanguagePackages, Changes: n, Causes: causes(findings, langRules)}
	if osPkgs {
		p.Kind, p.Causes = report.DriftOSPackages, causes(findings, osRules)
	}
	p.Summary = counted([]int{changed, added, removed}, []string{"changed", "added", "removed"}) + ": " + list(examples)
	return p
}

func filesPart(rep *report.Report, findings []lint.Finding) *report.DriftPart {
	f := &rep.Files
	n := f.Added + f.Removed + f.Modified + f.MetadataOnly
	if n == 0 {
		return nil
	}
	var examples []string
	for _, e := range f.Entries {
		if !e.Noise {
			examples = append(examples, e.Path)
		}
	}
	return &report.DriftPart{Kind: report.DriftFiles, Changes: n, Causes: causes(findings, fileRules),
		Summary: counted([]int{f.Added, f.Removed, f.Modified, f.MetadataOnly},
			[]string{"added", "removed", "modified", "metadata only"}) + ": " + list(examples)}
}

func configPart(rep *report.Report, findings []lint.Finding) *report.DriftPart {
	var fields []string
	for _, c := range rep.Config {
		if c.Before != nil && c.After != nil && onlyTimesDiffer([]byte(*c.Before), []byte(*c.After)) {
			continue
		}
		f := c.Field
		if c.Key != "" {
			f += " " + c.Key
		}
		fields = append(fields, f)
	}
	if len(fields) == 0 {
		return nil
	}
	return &report.DriftPart{Kind: report.DriftConfig, Changes: len(fields), Summary: list(fields),
		Causes: causes(findings, baseRules, []string{lint.RuleArgNotRecorded})}
}

// counted says "2 changed, 1 added", leaving out the zeros.
func counted(ns []int, words []string) string {
	var parts []string
	for i, n := range ns {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, words[i]))
		}
	}
	return strings.Join(parts, ", ")
}

// list names the first few items.
func list(items []string) string {
	if len(items) <= maxExamples {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:maxExamples], ", ") + fmt.Sprintf(" and %d more", len(items)-maxExamples)
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// WatchContributor records what drifted in the report and adds the
// section that says so.
func WatchContributor(in WatchInput) analysis.Contributor {
	return analysis.ContributorFunc(func(_ context.Context, rep *report.Report) (analysis.Contribution, error) {
		d := Summarize(rep, in)
		return analysis.Contribution{
			Sections: []report.Section{WatchSection(d)},
			Apply:    func(rep *report.Report) { rep.Drift = d },
		}, nil
	})
}

// FinalBase is the image the Dockerfile's last stage builds on, as its
// FROM names it; "" when that stage builds on another stage, on scratch,
// on a build argument left open, or the file does not parse.
func FinalBase(name string, src []byte) string {
	bases, err := lint.BaseImages(name, src)
	if err != nil || len(bases) == 0 {
		return ""
	}
	if last := bases[len(bases)-1]; last.Kind == lint.KindImage {
		return last.Ref
	}
	return ""
}
