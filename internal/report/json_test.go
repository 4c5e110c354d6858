package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/imagedrift/imagedrift/internal/diff/difftest"

	"github.com/imagedrift/imagedrift/internal/diff"
	"github.com/imagedrift/imagedrift/internal/risk"
)

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema))
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
	return s
}

func validate(t *testing.T, s *jsonschema.Schema, r *Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(v); err != nil {
		t.Errorf("report does not match the schema: %v", err)
	}
	return b.Bytes()
}

func TestJSONMatchesSchema(t *testing.T) {
	s := compileSchema(t)
	base, head := difftest.Pair(3, 3000, 200)
	ch := diff.Compare(base, head, diff.DefaultOptions())
	risks, v := risk.Evaluate(ch, sampleFindings(), risk.DefaultPolicy())
	synthetic := Build(Input{Base: base, Head: head, Changes: ch, Findings: sampleFindings(), Risks: risks, Verdict: v})
	for name, r := range map[string]*Report{
		"sample": sampleReport("high"), "identical": identicalReport(), "hostile": hostileReport(50),
		"synthetic": synthetic, "empty": Build(Input{}),
		"vulnerabilities": vulnReport(), "vulnerabilities unavailable": unavailableReport(),
	} {
		t.Run(name, func(t *testing.T) {
			data := validate(t, s, r)
			var back Report
			if err := json.Unmarshal(data, &back); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(&back, r) {
				t.Error("the report does not survive a JSON round trip")
			}
		})
	}
}

// The schema must catch drift from the contract, or it checks nothing.
func TestSchemaRejects(t *testing.T) {
	s := compileSchema(t)
	var b bytes.Buffer
	if err := WriteJSON(&b, vulnReport()); err != nil {
		t.Fatal(err)
	}
	good := b.String()
	for name, edit := range map[string]func(string) string{
		"unknown field":  func(s string) string { return strings.Replace(s, `"identical"`, `"identicalx"`, 1) },
		"bad bump":       func(s string) string { return strings.Replace(s, `"bump": "major"`, `"bump": "huge"`, 1) },
		"null list":      func(s string) string { return strings.Replace(s, `"lint": [`, `"lint": null, "x": [`, 1) },
		"bad level":      func(s string) string { return strings.Replace(s, `"level": "high"`, `"level": "severe"`, 1) },
		"schema version": func(s string) string { return strings.Replace(s, `"schemaVersion": 1`, `"schemaVersion": 2`, 1) },
		"bad severity":   func(s string) string { return strings.Replace(s, `"level": "critical"`, `"level": "severe"`, 1) },
		"null aliases":   func(s string) string { return strings.Replace(s, `"aliases": [`, `"aliases": null, "x": [`, 1) },
	} {
		v, err := jsonschema.UnmarshalJSON(strings.NewReader(edit(good)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if s.Validate(v) == nil {
			t.Errorf("%s: the schema accepted it", name)
		}
	}
}

// Every risk id is one the schema accepts: a new id missing there would
// make valid reports fail validation.
func TestSchemaRiskIDs(t *testing.T) {
	s := compileSchema(t)
	for _, id := range risk.IDs {
		r := sampleReport()
		r.Risks = []risk.Risk{{ID: id, Level: risk.Low, Subject: "s", Message: "m"}}
		var b bytes.Buffer
		if err := WriteJSON(&b, r); err != nil {
			t.Fatal(err)
		}
		v, err := jsonschema.UnmarshalJSON(&b)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(v); err != nil {
			t.Errorf("%s: %v", id, err)
		}
	}
}
