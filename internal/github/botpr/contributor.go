package botpr

import (
	"context"

	"github.com/imagedrift/imagedrift/internal/analysis"
	"github.com/imagedrift/imagedrift/internal/report"
)

// Contributor sets what d declares beside a report's package changes:
// the undeclared-change risks and the declared-versus-measured section.
// baseImages are the Dockerfile's FROM references, which a declared
// docker update may name; so may the base images the report names, or
// without them the distribution (Dependabot's "Bump debian from bookworm
// to trixie").
func Contributor(d Declared, baseImages []string) analysis.Contributor {
	return analysis.ContributorFunc(func(_ context.Context, rep *report.Report) (analysis.Contribution, error) {
		bases := append([]string{}, baseImages...)
		for _, s := range []report.ImageSummary{rep.Base, rep.Head} {
			if s.BaseImage != nil {
				bases = append(bases, s.BaseImage.Name)
			}
			if len(baseImages) == 0 {
				bases = append(bases, s.OS.ID)
			}
		}
		c := Compare(d, ChangesFromReport(&rep.Packages), bases)
		if b := rep.Head.BaseImage; b != nil {
			c.DecidedBy = b.DecidedBy
		}
		return analysis.Contribution{Risks: c.Risks(), Sections: []report.Section{c.Section()}}, nil
	})
}
