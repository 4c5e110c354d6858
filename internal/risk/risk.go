package risk

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/imagedrift/imagedrift/internal/diff"
	"github.com/imagedrift/imagedrift/internal/lint"
)

// Risk is one thing a reviewer should look at. Subject names what it is
// about (a package as "ecosystem:name", a path, a config field); Message
// says what happened in one line.
type Risk struct {
	ID      string `json:"id"`
	Level   Level  `json:"level"`
	Subject string `json:"subject"`
	Message string `json:"message"`
}

// Verdict sums up the risks under the policy.
type Verdict struct {
	Level   Level    `json:"level"` // the highest risk level, none without risks
	Failed  bool     `json:"failed"`
	FailOn  []string `json:"failOn"`
	Reasons []string `json:"reasons"` // one per fail-on term that matched
}

// Evaluate finds the risks in ch and the lint findings, adds extra (risks
// found by callers, such as undeclared-change from the GitHub layer) and
// decides the verdict. Risks are sorted by level (highest first), id and
// subject.
func Evaluate(ch *diff.Changes, findings []lint.Finding, pol Policy, extra ...Risk) ([]Risk, Verdict) {
	e := evaluator{pol: &pol}
	if ch != nil && !ch.Identical {
		e.packages(&ch.Packages)
		e.files(ch)
		e.config(ch.Config)
		e.image(ch)
	}
	for _, f := range findings {
		e.add(LintPrefix+f.Rule, Level(f.Level), fmt.Sprintf("%s:%d", f.File, f.Line), f.Message)
	}
	for _, r := range extra {
		e.add(r.ID, r.Level, r.Subject, r.Message)
	}
	sortRisks(e.risks)
	return e.risks, verdict(e.risks, pol.FailOn)
}

type evaluator struct {
	pol   *Policy
	risks []Risk
}

// add records a risk at the policy's level for its id (def otherwise).
func (e *evaluator) add(id string, def Level, subject, msg string) {
	l := e.pol.level(id, def)
	if l == Off || l.Rank() == 0 {
		return
	}
	e.risks = append(e.risks, Risk{ID: id, Level: l, Subject: subject, Message: msg})
}

func (e *evaluator) addDefault(id, subject, msg string) {
	e.add(id, DefaultLevels[id], subject, msg)
}

func sortRisks(rs []Risk) {
	slices.SortStableFunc(rs, func(a, b Risk) int {
		return cmp.Or(cmp.Compare(b.Level.Rank(), a.Level.Rank()),
			cmp.Compare(idOrder(a.ID), idOrder(b.ID)), cmp.Compare(a.ID, b.ID),
			cmp.Compare(a.Subject, b.Subject))
	})
}

// maxSubjects is how many subjects a verdict reason names.
const maxSubjects = 5

func verdict(rs []Risk, failOn []string) Verdict {
	v := Verdict{Level: None, FailOn: append([]string{}, failOn...), Reasons: []string{}}
	for i := range rs {
		v.Level = maxLevel(v.Level, rs[i].Level)
	}
	for _, term := range failOn {
		var subjects []string
		n := 0
		for i := range rs {
			if matches(term, &rs[i]) {
				n++
				if len(subjects) < maxSubjects {
					subjects = append(subjects, rs[i].ID+" "+rs[i].Subject)
				}
			}
		}
		if n == 0 {
			continue
		}
		v.Failed = true
		reason := fmt.Sprintf("%s: %d %s (%s", term, n, plural(n, "risk", "risks"), strings.Join(subjects, ", "))
		if n > len(subjects) {
			reason += fmt.Sprintf(", and %d more", n-len(subjects))
		}
		v.Reasons = append(v.Reasons, reason+")")
	}
	return v
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
