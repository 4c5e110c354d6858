package lint

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/golden"
)

// TestCorpus lints realistic Dockerfiles and compares the findings with
// testdata/golden/NAME.json.
func TestCorpus(t *testing.T) {
	paths, err := filepath.Glob("testdata/corpus/*.Dockerfile")
	if err != nil || len(paths) < 10 {
		t.Fatalf("corpus: %d files, %v", len(paths), err)
	}
	for _, p := range paths {
		name := filepath.Base(p)
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			fs, err := Lint(name, src, Options{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(fs, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			goldenPath := filepath.Join("testdata", "golden", strings.TrimSuffix(name, ".Dockerfile")+".json")
			golden.Check(t, goldenPath, got)
		})
	}
}

// TestCorpusFindingsAreWellFormed checks what every finding of the corpus
// promises: a known rule at a valid level, a position inside the file,
// and sorted order.
func TestCorpusFindingsAreWellFormed(t *testing.T) {
	paths, _ := filepath.Glob("testdata/corpus/*.Dockerfile")
	for _, p := range paths {
		src, _ := os.ReadFile(p)
		fs, err := Lint(p, src, Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkFindings(t, p, src, fs)
	}
}

func checkFindings(t *testing.T, name string, src []byte, fs []Finding) {
	t.Helper()
	lines := bytes.Count(src, []byte("\n")) + 1
	for i, f := range fs {
		if _, ok := ruleByID(f.Rule); !ok || !f.Level.Valid() {
			t.Errorf("%s: bad rule or level: %+v", name, f)
		}
		if f.Line < 1 || f.Line > lines || f.Column < 1 || f.File != name || f.Message == "" {
			t.Errorf("%s: bad position or text: %+v", name, f)
		}
		if i > 0 {
			a := fs[i-1]
			if a.Line > f.Line || (a.Line == f.Line && a.Column > f.Column) {
				t.Errorf("%s: findings out of order: %+v before %+v", name, a, f)
			}
		}
	}
}

func TestRulesCatalogue(t *testing.T) {
	rules := Rules()
	if len(rules) != len(catalogue) {
		t.Fatalf("Rules() = %d rules, catalogue has %d", len(rules), len(catalogue))
	}
	for i, r := range rules {
		if i > 0 && rules[i-1].ID >= r.ID {
			t.Errorf("rules not sorted: %s before %s", rules[i-1].ID, r.ID)
		}
		if !r.Level.Valid() || r.Summary == "" || r.Help == "" || strings.ToLower(r.ID) != r.ID {
			t.Errorf("incomplete rule %+v", r)
		}
	}
	doc, err := os.ReadFile("rules.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules {
		if !bytes.Contains(doc, []byte("`"+r.ID+"`")) {
			t.Errorf("rules.md does not document %s", r.ID)
		}
	}
}

func TestLevelsOverride(t *testing.T) {
	src := []byte("FROM ubuntu\nRUN apt-get install -y curl\n")
	fs, err := Lint("Dockerfile", src, Options{
		Levels:   map[string]Level{RuleAptUnpinned: LevelLow, RuleLatestTag: "bogus"},
		Disabled: map[string]bool{RuleUnpinnedBaseDigest: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Level{}
	for _, f := range fs {
		got[f.Rule] = f.Level
	}
	want := map[string]Level{RuleAptUnpinned: LevelLow, RuleLatestTag: LevelHigh}
	if len(got) != len(want) || got[RuleAptUnpinned] != LevelLow || got[RuleLatestTag] != LevelHigh {
		t.Errorf("levels = %v, want %v", got, want)
	}
}
