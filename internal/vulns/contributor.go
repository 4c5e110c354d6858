package vulns

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/imagedrift/imagedrift/internal/analysis"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/oneline"
	"github.com/imagedrift/imagedrift/internal/report"
	"github.com/imagedrift/imagedrift/internal/risk"
)

// DefaultTimeout bounds a whole lookup: on a good network it takes a
// second or two; past this the network is as good as down, and the run
// should not wait on the API's retries for minutes.
const DefaultTimeout = 2 * time.Minute

// ContributorOptions configure Contributor.
type ContributorOptions struct {
	// Source says where the records come from, for the report.
	Source report.VulnSource
	// Required is set when the policy fails on vulnerability-introduced
	// (see RequiredBy): a lookup that gets no data then fails the run, as
	// a required check must not pass on missing data. Otherwise the run
	// goes on with a warning, and the report says the data was unavailable.
	Required bool
	// Advisories are the ids a pull request says it fixes (a security
	// update's GHSA and CVE ids): each is checked against the result.
	Advisories []string
	// Timeout bounds the lookup; DefaultTimeout when 0.
	Timeout time.Duration
}

// RequiredBy reports whether a policy's fail-on terms name the
// vulnerability risk: only then does missing data fail the run.
func RequiredBy(failOn []string) bool {
	for _, t := range failOn {
		if t == risk.VulnerabilityIntroduced {
			return true
		}
	}
	return false
}

// Contributor looks up the known vulnerabilities of a report's package
// changes in src, taking each package's source package and version from
// the two inventories (see RequestOf). It records the result in the
// report's Vulnerabilities field, which the renderers show (so a report
// read back from JSON shows it too), and raises vulnerability-introduced
// for every vulnerability a change brings in, per package.
func Contributor(src Source, base, head *inventory.Inventory, o ContributorOptions) analysis.Contributor {
	return analysis.ContributorFunc(func(ctx context.Context, rep *report.Report) (analysis.Contribution, error) {
		timeout := o.Timeout
		if timeout <= 0 {
			timeout = DefaultTimeout
		}
		lctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		req := RequestOf(rep, base, head)
		res, err := Lookup(lctx, src, req)
		switch {
		case err == nil:
		case ctx.Err() != nil:
			return analysis.Contribution{}, fmt.Errorf("vulnerabilities: %w", ctx.Err())
		case !errors.Is(err, ErrUnavailable):
			return analysis.Contribution{}, fmt.Errorf("vulnerabilities: %w", err)
		case o.Required:
			return analysis.Contribution{}, fmt.Errorf("%w (the policy fails on %s, so it cannot pass without the data)",
				err, risk.VulnerabilityIntroduced)
		default:
			return unavailable(o.Source, err), nil
		}
		v := toReport(res, o)
		return analysis.Contribution{
			Apply: func(r *report.Report) { r.Vulnerabilities = v },
			Risks: risksOf(res),
		}, nil
	})
}

// unavailable records that the lookup got no data, and warns.
func unavailable(src report.VulnSource, err error) analysis.Contribution {
	cause := oneline.Fold(strings.TrimPrefix(err.Error(), ErrUnavailable.Error()+": "))
	v := &report.Vulnerabilities{Source: src, Unavailable: cause,
		Packages: []report.VulnPackage{}, Skipped: []report.VulnSkipped{}}
	return analysis.Contribution{
		Apply:    func(r *report.Report) { r.Vulnerabilities = v },
		Warnings: []string{"known vulnerabilities not checked, the data is unavailable: " + cause},
	}
}
