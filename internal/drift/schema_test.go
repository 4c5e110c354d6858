package drift

import (
	"testing"

	"github.com/imagedrift/imagedrift/internal/report/reporttest"
)

// A report that carries drift and reproducibility matches the report's
// JSON Schema, which lists both as optional fields.
func TestReportWithDriftMatchesSchema(t *testing.T) {
	ref, fresh := deployed()
	first, second, probes := twoBuilds()
	r := Classify(run(t, first, second).Report, ReproInput{First: first, Second: second, Probes: probes, Findings: findings, Epoch: 1})
	rep := run(t, ref, fresh, WatchContributor(WatchInput{Findings: findings}), ReproContributor(r)).Report
	if rep.Drift == nil || rep.Reproducibility == nil {
		t.Fatal("the contributors recorded nothing")
	}
	reporttest.CheckSchema(t, rep)
}
