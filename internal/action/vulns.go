package action

import (
	"fmt"
	"strconv"

	"github.com/imagedrift/imagedrift/internal/analysis"
	"github.com/imagedrift/imagedrift/internal/github/botpr"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/oneline"
	"github.com/imagedrift/imagedrift/internal/report"
	"github.com/imagedrift/imagedrift/internal/risk"
	"github.com/imagedrift/imagedrift/internal/vulns"
)

// vulnSource makes the source of vulnerability data the inputs ask for,
// before anything is built (an offline database that is not there fails
// now); nil when the run looks nothing up. A policy that fails on
// vulnerability-introduced in a run that looks nothing up is an input
// error: it could never match, and a required check would pass blind.
func (r *runner) vulnSource() (*vulns.Opened, error) {
	required := vulns.RequiredBy(r.cfg.Policy(r.in.FailOn).FailOn)
	if !r.in.Vulnerabilities || r.o.NewVulnSource == nil {
		if required {
			return nil, &inputError{"vulnerabilities", fmt.Errorf("the policy fails on %s, which needs vulnerability data: "+
				"leave vulnerabilities at true", risk.VulnerabilityIntroduced)}
		}
		return nil, nil
	}
	src, err := r.o.NewVulnSource(vulns.SourceOptions{DB: r.resolve(r.in.VulnerabilitiesDB)})
	if err != nil {
		if r.in.VulnerabilitiesDB != "" {
			return nil, &inputError{"vulnerabilities-db", err}
		}
		return nil, fmt.Errorf("vulnerability data: %w", err)
	}
	r.warn(src.Warnings)
	return src, nil
}

// vulnContributor looks up the changed packages' vulnerabilities, and
// checks the advisories a bot's pull request names.
func (r *runner) vulnContributor(src *vulns.Opened, base, head *inventory.Inventory, decl *botpr.Declared) analysis.Contributor {
	o := vulns.ContributorOptions{Source: src.Info, Required: vulns.RequiredBy(r.cfg.Policy(r.in.FailOn).FailOn)}
	if decl != nil {
		o.Advisories = decl.Advisories
	}
	return vulns.Contributor(src.Source, base, head, o)
}

// warn shows each message as a warning annotation.
func (r *runner) warn(msgs []string) {
	for _, m := range msgs {
		r.gha.Warningf("imagedrift: %s", oneline.Fold(m))
	}
}

// vulnCounts are the outputs vulnerabilities-fixed and
// vulnerabilities-introduced: empty when nothing was looked up or the data
// was unavailable, so that a workflow tells "none" from "unknown".
func vulnCounts(reps ...*report.Report) (fixed, introduced string) {
	f, n := 0, 0
	for _, rep := range reps {
		v := rep.Vulnerabilities
		if v == nil || v.Unavailable != "" {
			return "", ""
		}
		f, n = f+v.Totals.Fixed, n+v.Totals.Introduced
	}
	if len(reps) == 0 {
		return "", ""
	}
	return strconv.Itoa(f), strconv.Itoa(n)
}
