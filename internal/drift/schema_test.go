package drift

import (
	"bytes"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/imagedrift/imagedrift/internal/report"
)

// A report that carries drift and reproducibility matches the report's
// JSON Schema, which lists both as optional fields.
func TestReportWithDriftMatchesSchema(t *testing.T) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(report.Schema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource("report.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("report.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	ref, fresh := deployed()
	first, second, probes := twoBuilds()
	r := Classify(run(t, first, second).Report, ReproInput{First: first, Second: second, Probes: probes, Findings: findings, Epoch: 1})
	rep := run(t, ref, fresh, WatchContributor(WatchInput{Findings: findings}), ReproContributor(r)).Report
	if rep.Drift == nil || rep.Reproducibility == nil {
		t.Fatal("the contributors recorded nothing")
	}
	var b bytes.Buffer
	if err := report.WriteJSON(&b, rep); err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(&b)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(v); err != nil {
		t.Errorf("the report does not match the schema: %v", err)
	}
}
