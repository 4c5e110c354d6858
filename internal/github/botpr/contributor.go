package botpr

import (
	"context"

	"github.com/imagedrift/imagedrift/internal/analysis"
	"github.com/imagedrift/imagedrift/internal/report"
)

// Contributor sets what d declares beside a report's package changes:
// the undeclared-change risks and the declared-versus-measured section.
// baseImages are the Dockerfile's FROM references, which a declared
// docker update may name.
func Contributor(d Declared, baseImages []string) analysis.Contributor {
	return analysis.ContributorFunc(func(_ context.Context, rep *report.Report) (analysis.Contribution, error) {
		c := Compare(d, ChangesFromReport(&rep.Packages), baseImages)
		return analysis.Contribution{Risks: c.Risks(), Sections: []report.Section{c.Section()}}, nil
	})
}
