package output

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/imagedrift/imagedrift/internal/lint"

	goldenflag "github.com/imagedrift/imagedrift/internal/golden"
)

// golden checks got against testdata/name.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenflag.Check(t, filepath.Join("testdata", name), got)
}

// corpusFindings lints the lint package's corpus, naming files as a
// repository-relative path would.
func corpusFindings(t *testing.T) []lint.Finding {
	t.Helper()
	paths, err := filepath.Glob("../testdata/corpus/*.Dockerfile")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	var all []lint.Finding
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		fs, err := lint.Lint("docker/"+filepath.Base(p), src, lint.Options{})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, fs...)
	}
	return all
}

func TestGolden(t *testing.T) {
	fs := corpusFindings(t)
	var text, js, sarif bytes.Buffer
	if err := Text(&text, fs); err != nil {
		t.Fatal(err)
	}
	if err := JSON(&js, fs); err != nil {
		t.Fatal(err)
	}
	if err := SARIF(&sarif, fs, SARIFOptions{ToolVersion: "1.0.0", Rules: lint.Rules()}); err != nil {
		t.Fatal(err)
	}
	golden(t, "corpus.txt", text.Bytes())
	golden(t, "corpus.json", js.Bytes())
	golden(t, "corpus.sarif", sarif.Bytes())
}

func TestTextFormat(t *testing.T) {
	var b bytes.Buffer
	err := Text(&b, []lint.Finding{
		{Rule: "latest-tag", Level: lint.LevelHigh, File: "Dockerfile", Line: 3, Column: 6, Message: "two\nlines"},
		{Rule: "target-mismatch", Level: lint.LevelMedium, File: "a b/Dockerfile", Line: 1, Message: "m"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "Dockerfile:3:6: high latest-tag: two lines\na b/Dockerfile:1: medium target-mismatch: m\n"
	if b.String() != want {
		t.Errorf("Text = %q, want %q", b.String(), want)
	}
}

func TestJSONEmpty(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, nil); err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(b.String()) != "[]" {
		t.Errorf("JSON(nil) = %q, want []", b.String())
	}
}

// TestSARIFSchema validates SARIF logs against the official 2.1.0 schema
// (testdata/sarif-schema-2.1.0.json, the OASIS errata01 schema as shipped
// in the github.com/owenrumney/go-sarif/v3 module) and checks what GitHub
// code scanning relies on beyond it.
func TestSARIFSchema(t *testing.T) {
	schema, err := os.ReadFile("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	sch := compileSchema(t, schema)
	logs := map[string][]lint.Finding{
		"corpus": corpusFindings(t),
		"empty":  nil,
		"odd": {
			{Rule: "no-such-rule", Level: "weird", File: "/abs/dir with space/Dockerfile", Line: 0, Message: ""},
			{Rule: "latest-tag", Level: lint.LevelHigh, File: "../up/Dockerfile", Line: 2, Column: 1, Message: "x"},
		},
	}
	for name, fs := range logs {
		var b bytes.Buffer
		if err := SARIF(&b, fs, SARIFOptions{ToolVersion: "dev", Rules: lint.Rules(), BaseDir: "/abs"}); err != nil {
			t.Fatal(err)
		}
		if err := validate(sch, b.Bytes()); err != nil {
			t.Errorf("%s: schema: %v", name, err)
		}
		checkSARIF(t, name, b.Bytes(), fs)
	}
}

// compileSchema compiles a JSON Schema, format assertions included (draft
// 4 asserts formats such as uri).
func compileSchema(t *testing.T, schema []byte) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func validate(sch *jsonschema.Schema, doc []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

// checkSARIF checks the required members of SARIF 2.1.0 §3 that matter
// to consumers, and that results point at their rules.
func checkSARIF(t *testing.T, name string, data []byte, fs []lint.Finding) {
	t.Helper()
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID   string `json:"id"`
						Help struct {
							Text string `json:"text"`
						} `json:"help"`
						DefaultConfiguration struct {
							Level string `json:"level"`
						} `json:"defaultConfiguration"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Message   struct {
					Text string `json:"text"`
				} `json:"message"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine   int `json:"startLine"`
							StartColumn int `json:"startColumn"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Name != "imagedrift" {
		t.Fatalf("%s: bad log header", name)
	}
	run := log.Runs[0]
	if len(run.Results) != len(fs) {
		t.Fatalf("%s: %d results for %d findings", name, len(run.Results), len(fs))
	}
	for _, r := range run.Tool.Driver.Rules {
		if r.Help.Text == "" || r.DefaultConfiguration.Level == "" {
			t.Errorf("%s: rule %s lacks help or level", name, r.ID)
		}
	}
	want := map[lint.Level]string{lint.LevelHigh: "error", lint.LevelMedium: "warning", lint.LevelLow: "note"}
	for i, r := range run.Results {
		f := fs[i]
		if r.RuleIndex < 0 || r.RuleIndex >= len(run.Tool.Driver.Rules) || run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID || r.RuleID != f.Rule {
			t.Errorf("%s: result %d: ruleId %s at index %d", name, i, r.RuleID, r.RuleIndex)
		}
		if lv, ok := want[f.Level]; (ok && r.Level != lv) || (!ok && r.Level != "note") {
			t.Errorf("%s: result %d: level %s for %s", name, i, r.Level, f.Level)
		}
		loc := r.Locations[0].PhysicalLocation
		if r.Message.Text == "" || loc.Region.StartLine < 1 || loc.ArtifactLocation.URI == "" || strings.HasPrefix(loc.ArtifactLocation.URI, "/") {
			t.Errorf("%s: result %d: incomplete: %+v", name, i, r)
		}
		if f.Line > 0 && (loc.Region.StartLine != f.Line || loc.Region.StartColumn != f.Column) {
			t.Errorf("%s: result %d: region %d:%d for %d:%d", name, i, loc.Region.StartLine, loc.Region.StartColumn, f.Line, f.Column)
		}
	}
}

// TestSARIFSchemaRejects shows the schema check can fail: a level SARIF
// does not know and a result without a message are rejected.
func TestSARIFSchemaRejects(t *testing.T) {
	schema, err := os.ReadFile("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	sch := compileSchema(t, schema)
	var b bytes.Buffer
	fs := []lint.Finding{{Rule: "latest-tag", Level: lint.LevelHigh, File: "Dockerfile", Line: 1, Column: 1, Message: "m"}}
	if err := SARIF(&b, fs, SARIFOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, broken := range []string{
		strings.Replace(b.String(), `"level": "error"`, `"level": "fatal"`, 1),
		strings.Replace(b.String(), `"startLine": 1`, `"startLine": 0`, 1),
		strings.Replace(b.String(), `"version": "2.1.0"`, `"version": "2.0.0"`, 1),
	} {
		if broken == b.String() {
			t.Fatal("replacement did not apply")
		}
		if validate(sch, []byte(broken)) == nil {
			t.Errorf("schema accepted a broken log:\n%s", broken)
		}
	}
}

func TestArtifactURI(t *testing.T) {
	cases := []struct {
		name, base, want string
		rel              bool
	}{
		{"Dockerfile", "", "Dockerfile", true},
		{"./docker/Dockerfile.prod", "", "docker/Dockerfile.prod", true},
		{"/repo/app/Dockerfile", "/repo", "app/Dockerfile", true},
		{"/elsewhere/Dockerfile", "/repo", "file:///elsewhere/Dockerfile", false},
		{"my app/Dockerfile", "", "my%20app/Dockerfile", true},
		{"c:odd/Dockerfile", "", "./c:odd/Dockerfile", true},
	}
	for _, tc := range cases {
		got, rel := artifactURI(tc.name, tc.base)
		if got != tc.want || rel != tc.rel {
			t.Errorf("artifactURI(%q, %q) = %q, %v; want %q, %v", tc.name, tc.base, got, rel, tc.want, tc.rel)
		}
	}
}
