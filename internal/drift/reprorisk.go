package drift

import (
	"context"
	"fmt"
	"strings"

	"github.com/imagedrift/imagedrift/internal/analysis"
	"github.com/imagedrift/imagedrift/internal/report"
	"github.com/imagedrift/imagedrift/internal/risk"
)

// CauseLevels are the not-reproducible risk's levels by cause: a secret
// made at build time is shared by every container of the image; package
// versions and unexplained content mean the image is not what the commit
// says; the rest changes digests without changing behaviour.
var CauseLevels = map[string]risk.Level{
	report.ReproGeneratedSecret:  risk.High,
	report.ReproPackageVersions:  risk.Medium,
	report.ReproUnexplained:      risk.Medium,
	report.ReproNonDeterministic: risk.Low,
	report.ReproTimestamps:       risk.Low,
}

// causeWords names the causes for people.
var causeWords = map[string]string{
	report.ReproGeneratedSecret:  "generated secrets and ids",
	report.ReproPackageVersions:  "package versions",
	report.ReproUnexplained:      "unexplained content",
	report.ReproNonDeterministic: "files known to differ per build",
	report.ReproTimestamps:       "timestamps only",
}

// maxExamples is how many subjects a risk message names.
const maxExamples = 3

// ReproRisks are the not-reproducible risks of r, one per cause, the
// subject being the cause.
func ReproRisks(r *report.Reproducibility) []risk.Risk {
	var out []risk.Risk
	for _, c := range r.Causes {
		out = append(out, risk.Risk{ID: risk.NotReproducible, Level: CauseLevels[c.Cause], Subject: c.Cause,
			Message: causeMessage(r, &c)})
	}
	return out
}

func causeMessage(r *report.Reproducibility, c *report.ReproCause) string {
	var ex []string
	for _, d := range c.Differences[:min(len(c.Differences), maxExamples)] {
		ex = append(ex, d.Subject)
	}
	msg := fmt.Sprintf("%s: %d %s differ between two builds (%s", causeWords[c.Cause], c.Count,
		plural(c.Count, "thing", "things"), strings.Join(ex, ", "))
	if c.Count > len(ex) {
		msg += ", …"
	}
	msg += ")"
	switch {
	case len(c.Lint) > 0:
		var rules []string
		for _, f := range c.Lint[:min(len(c.Lint), maxExamples)] {
			rules = append(rules, fmt.Sprintf("%s at %s:%d", f.Rule, f.File, f.Line))
		}
		msg += "; explained by " + strings.Join(rules, ", ")
	case c.Cause == report.ReproTimestamps && !r.RewritesTimestamps:
		msg += "; the builder does not rewrite file times to SOURCE_DATE_EPOCH (BuildKit v0.13 with a docker-container builder does)"
	case c.Cause == report.ReproGeneratedSecret:
		msg += "; every container of the image shares them: generate them when the container starts"
	}
	return msg
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// ReproContributor adds r to a report: the not-reproducible risks, the
// reproducibility section, and r itself in the JSON.
func ReproContributor(r *report.Reproducibility) analysis.Contributor {
	return analysis.ContributorFunc(func(context.Context, *report.Report) (analysis.Contribution, error) {
		return analysis.Contribution{
			Risks:    ReproRisks(r),
			Sections: []report.Section{ReproSection(r)},
			Apply:    func(rep *report.Report) { rep.Reproducibility = r },
		}, nil
	})
}

// ReproSections renders the reproducibility recorded in a report read
// back (the comment phase), or nothing.
func ReproSections() analysis.Contributor {
	return analysis.ContributorFunc(func(_ context.Context, rep *report.Report) (analysis.Contribution, error) {
		if rep.Reproducibility == nil {
			return analysis.Contribution{}, nil
		}
		return analysis.Contribution{Sections: []report.Section{ReproSection(rep.Reproducibility)}}, nil
	})
}
