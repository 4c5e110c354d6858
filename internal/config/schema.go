package config

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/imagedrift/imagedrift/internal/diff"
	"github.com/imagedrift/imagedrift/internal/lint"
	"github.com/imagedrift/imagedrift/internal/risk"
)

// top lists the keys of the file and where their values go.
func (p *parser) top() []field {
	c := p.c
	return []field{
		{"version", func(n *yaml.Node, k string) {
			if v, ok := p.count(n, k); ok && v != 1 {
				p.errorf(n, k, "unsupported version %d (want 1)", v)
			}
		}},
		{"failOn", func(n *yaml.Node, k string) {
			c.FailOn = []string{}
			for _, s := range p.strings(n, k, nil) {
				terms, err := risk.ParseFailOn(s)
				if err != nil {
					p.errorf(n, k, "%v", err)
					continue
				}
				c.FailOn = append(c.FailOn, terms...)
			}
		}},
		{"ignore", func(n *yaml.Node, k string) {
			p.mapping(n, k, []field{
				{"paths", func(n *yaml.Node, k string) { c.IgnorePaths = p.strings(n, k, checkPath) }},
				{"packages", func(n *yaml.Node, k string) { c.IgnorePackages = p.strings(n, k, checkPackage) }},
			})
		}},
		{"noise", func(n *yaml.Node, k string) {
			p.mapping(n, k, []field{
				{"defaults", func(n *yaml.Node, k string) {
					if b, ok := p.boolean(n, k); ok {
						c.NoiseDefaults = b
					}
				}},
				{"paths", func(n *yaml.Node, k string) { c.NoisePaths = p.strings(n, k, checkPath) }},
			})
		}},
		{"thresholds", func(n *yaml.Node, k string) { p.mapping(n, k, p.thresholds()) }},
		{"risks", func(n *yaml.Node, k string) {
			p.mapping(n, k, []field{
				{"levels", func(n *yaml.Node, k string) { c.RiskLevels = p.riskLevels(n, k) }},
				{"allowMajor", func(n *yaml.Node, k string) { c.AllowMajor = p.strings(n, k, checkPackage) }},
			})
		}},
		{"lint", func(n *yaml.Node, k string) { p.mapping(n, k, p.lint()) }},
		{"comment", func(n *yaml.Node, k string) { p.mapping(n, k, p.comment()) }},
	}
}

func (p *parser) thresholds() []field {
	c := p.c
	return []field{
		{"sizePercent", func(n *yaml.Node, k string) {
			if v, ok := p.number(n, k); ok {
				c.SizePercent = v
			}
		}},
		{"sizeBytes", func(n *yaml.Node, k string) {
			if v, ok := p.size(n, k); ok {
				c.SizeBytes = v
			}
		}},
		{"files", func(n *yaml.Node, k string) {
			if v, ok := p.count(n, k); ok {
				c.Files = v
			}
		}},
	}
}

func (p *parser) riskLevels(n *yaml.Node, k string) map[string]risk.Level {
	out := map[string]risk.Level{}
	for id, v := range p.stringMap(n, k, func(id, v string) error {
		if !risk.KnownID(id) {
			return fmt.Errorf("unknown risk id %q", id)
		}
		if rule, ok := strings.CutPrefix(id, risk.LintPrefix); ok {
			if err := checkRule(rule); err != nil {
				return err
			}
		}
		_, err := risk.ParseLevel(v)
		return err
	}) {
		out[id] = risk.Level(v)
	}
	return out
}

func (p *parser) lint() []field {
	l := &p.c.Lint
	return []field{
		{"target", func(n *yaml.Node, k string) { l.Target, _ = p.str(n, k) }},
		{"deployTarget", func(n *yaml.Node, k string) { l.DeployTarget, _ = p.str(n, k) }},
		{"disable", func(n *yaml.Node, k string) {
			l.Disabled = map[string]bool{}
			for _, r := range p.strings(n, k, checkRule) {
				l.Disabled[r] = true
			}
		}},
		{"levels", func(n *yaml.Node, k string) {
			l.Levels = p.stringMap(n, k, func(rule, v string) error {
				if err := checkRule(rule); err != nil {
					return err
				}
				if lv, err := risk.ParseLevel(v); err != nil || lv == risk.Off {
					return fmt.Errorf("unknown level %q (want low, medium or high; use lint.disable to turn a rule off)", v)
				}
				return nil
			})
		}},
	}
}

func (p *parser) comment() []field {
	cm := &p.c.Comment
	return []field{
		{"key", func(n *yaml.Node, k string) { cm.Key, _ = p.str(n, k) }},
		{"when", func(n *yaml.Node, k string) {
			s, ok := p.str(n, k)
			switch {
			case !ok:
			case s == WhenAlways || s == WhenChanges || s == WhenRisk || s == WhenNever:
				cm.When = s
			default:
				p.errorf(n, k, "unknown value %q (want always, changes, risk or never)", s)
			}
		}},
	}
}

// checkRule refuses lint rule ids that name no rule: a misspelt id in a
// disable list would silently disable nothing.
func checkRule(id string) error {
	if lint.IsRule(id) {
		return nil
	}
	return fmt.Errorf("unknown lint rule %q (imagedrift lint --help lists them)", id)
}

func checkPath(s string) error {
	_, err := diff.CompilePaths([]string{s})
	return err
}

func checkPackage(s string) error {
	_, err := diff.CompilePackages([]string{s})
	return err
}
