package risk

import (
	"errors"
	"fmt"
	"strings"
)

// Policy decides which changes are risks, at which level, and which risks
// fail the check.
type Policy struct {
	// FailOn holds risk ids, "lint:*", and levels (a level matches any
	// risk at or above it). Empty: never fail.
	FailOn []string
	// Levels override the level of a risk id ("lint:RULE" included); Off
	// drops the risk.
	Levels map[string]Level
	// SizePercent raises size-increase when the image grows by at least
	// this much; SizeBytes (when > 0) when it grows by at least this many
	// bytes. Zero or less disables each.
	SizePercent float64
	SizeBytes   int64
	// Files raises files-increase when the path count grows by at least
	// this many; zero or less disables it.
	Files int
	// AllowMajor are package patterns ("NAME" or "ECOSYSTEM:NAME" globs)
	// whose major bumps are expected: no major-bump risk.
	AllowMajor []string
}

// DefaultPolicy has the default thresholds and never fails.
func DefaultPolicy() Policy {
	return Policy{SizePercent: 10, Files: 1000}
}

func (p *Policy) level(id string, def Level) Level {
	if l, ok := p.Levels[id]; ok {
		return l
	}
	return def
}

// ParseFailOn reads a --fail-on list: ids and levels separated by commas
// or spaces. "none" (or an empty list) never fails.
func ParseFailOn(s string) ([]string, error) {
	out := []string{}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }) {
		if f == "none" {
			continue
		}
		if err := checkFailOn(f); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

func checkFailOn(f string) error {
	switch {
	case f == "low" || f == "medium" || f == "high" || f == "lint:*":
		return nil
	case KnownID(f):
		return nil
	}
	if strings.HasPrefix(f, LintPrefix) {
		return fmt.Errorf("%q names no lint rule (imagedrift lint -h lists them)", f)
	}
	return fmt.Errorf("unknown risk id or level %q (want low, medium, high, lint:*, lint:RULE or one of %s)",
		f, strings.Join(IDs, ", "))
}

// ErrPolicyFailed is the error of a run whose policy (fail-on) matched:
// the command exits 1, where every other error exits 2.
var ErrPolicyFailed = errors.New("policy failed")

// matches reports whether a fail-on term selects the risk.
func matches(term string, r *Risk) bool {
	switch term {
	case "low", "medium", "high":
		return r.Level.Rank() >= Level(term).Rank()
	case "lint:*":
		return strings.HasPrefix(r.ID, LintPrefix)
	}
	return term == r.ID
}
