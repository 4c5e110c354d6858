package analysis

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/config"
	"github.com/imagedrift/imagedrift/internal/diff/difftest"
	"github.com/imagedrift/imagedrift/internal/report"
	"github.com/imagedrift/imagedrift/internal/risk"
)

// recorder is a contributor that says what it saw and adds one risk.
type recorder struct {
	saw     int // package changes in the report it was given
	sawRisk bool
}

func (c *recorder) Contribute(_ context.Context, rep *report.Report) (Contribution, error) {
	c.saw = len(rep.Packages.Changed) + len(rep.Packages.Added) + len(rep.Packages.Removed)
	c.sawRisk = len(rep.Risks) > 0
	return Contribution{
		Risks:    []risk.Risk{{ID: risk.UndeclaredChange, Level: risk.High, Subject: "npm:left-pad", Message: "not declared"}},
		Sections: []report.Section{{Title: "Declared vs. measured", Body: "body\n"}},
		Apply:    func(r *report.Report) { r.Tool.Name = "applied" },
		Warnings: []string{"data out of reach"},
	}, nil
}

func TestRunContributors(t *testing.T) {
	base, head := difftest.Pair(7, 2000, 120)
	c := &recorder{}
	res, err := Run(context.Background(), Input{Base: base, Head: head, Config: config.Default(),
		FailOn: []string{"undeclared-change"}, Version: "v9", Contributors: []Contributor{c}})
	if err != nil {
		t.Fatal(err)
	}
	rep := res.Report
	if c.saw == 0 || c.sawRisk {
		t.Errorf("the contributor saw %d package changes and risks=%v; want the changes and no risks yet", c.saw, c.sawRisk)
	}
	if rep.Tool.Name != "applied" {
		t.Errorf("Apply did not run: tool %q", rep.Tool.Name)
	}
	if !slices.ContainsFunc(rep.Risks, func(r risk.Risk) bool { return r.ID == risk.UndeclaredChange && r.Subject == "npm:left-pad" }) {
		t.Errorf("the contributed risk is missing: %+v", rep.Risks)
	}
	if !rep.Verdict.Failed || rep.Verdict.Level != risk.High {
		t.Errorf("verdict %+v, want failed at high (failOn undeclared-change)", rep.Verdict)
	}
	if len(res.Sections) != 1 || res.Sections[0].Title != "Declared vs. measured" {
		t.Errorf("sections %+v", res.Sections)
	}
	if len(res.Warnings) != 1 || res.Warnings[0] != "data out of reach" {
		t.Errorf("warnings %q", res.Warnings)
	}
}

// The comment phase gets the sections of a report read back, and the
// report stays as it was written.
func TestSectionsLeaveTheReport(t *testing.T) {
	base, head := difftest.Pair(7, 500, 40)
	res, err := Run(context.Background(), Input{Base: base, Head: head})
	if err != nil {
		t.Fatal(err)
	}
	rep := res.Report
	risks := len(rep.Risks)
	sections, err := Sections(context.Background(), rep, []Contributor{&recorder{}})
	if err != nil {
		t.Fatal(err)
	}
	if len(sections) != 1 || rep.Tool.Name != "imagedrift" || len(rep.Risks) != risks {
		t.Errorf("sections %d, tool %q, risks %d→%d: the report was changed", len(sections), rep.Tool.Name, risks, len(rep.Risks))
	}
}

func TestRunContributorError(t *testing.T) {
	base, head := difftest.Pair(1, 100, 10)
	boom := errors.New("osv.dev: connection refused")
	_, err := Run(context.Background(), Input{Base: base, Head: head, Contributors: []Contributor{
		ContributorFunc(func(context.Context, *report.Report) (Contribution, error) { return Contribution{}, boom }),
	}})
	if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "analyse: ") {
		t.Errorf("error %v, want the contributor's, wrapped", err)
	}
}
