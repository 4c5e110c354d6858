package config

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// str reads a scalar as text. Numbers are accepted as written (a comment
// key "2024"); booleans and nulls are not text.
func (p *parser) str(n *yaml.Node, key string) (string, bool) {
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!str" && n.Tag != "!!int" && n.Tag != "!!float") {
		p.errorf(n, key, "want a string, got %s", describe(n))
		return "", false
	}
	return n.Value, true
}

// strings reads a list of strings; a single string is a list of one.
func (p *parser) strings(n *yaml.Node, key string, check func(string) error) []string {
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	out := []string{}
	for i, it := range items {
		k := key
		if n.Kind == yaml.SequenceNode {
			k = fmt.Sprintf("%s[%d]", key, i)
		}
		s, ok := p.str(it, k)
		if !ok {
			continue
		}
		if check != nil {
			if err := check(s); err != nil {
				p.errorf(it, k, "%v", err)
				continue
			}
		}
		out = append(out, s)
	}
	return out
}

func (p *parser) boolean(n *yaml.Node, key string) (bool, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		p.errorf(n, key, "want true or false, got %s", describe(n))
		return false, false
	}
	var b bool
	if err := n.Decode(&b); err != nil {
		p.errorf(n, key, "want true or false, got %s", describe(n))
		return false, false
	}
	return b, true
}

// number reads a non-negative number.
func (p *parser) number(n *yaml.Node, key string) (float64, bool) {
	if n.Kind == yaml.ScalarNode && (n.Tag == "!!int" || n.Tag == "!!float") {
		f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err == nil && f >= 0 && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return f, true
		}
	}
	p.errorf(n, key, "want a number of 0 or more, got %s", describe(n))
	return 0, false
}

// count reads a non-negative integer.
func (p *parser) count(n *yaml.Node, key string) (int, bool) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!int" {
		var v int
		if err := n.Decode(&v); err == nil && v >= 0 {
			return v, true
		}
	}
	p.errorf(n, key, "want a whole number of 0 or more, got %s", describe(n))
	return 0, false
}

// size reads bytes: a whole number, or a number with a unit ("50MB",
// "1.5 GiB"; kB, MB, GB, TB are powers of 1000, KiB, MiB, GiB, TiB of
// 1024).
func (p *parser) size(n *yaml.Node, key string) (int64, bool) {
	if n.Kind == yaml.ScalarNode && (n.Tag == "!!int" || n.Tag == "!!str") {
		if v, err := parseSize(n.Value); err == nil {
			return v, true
		}
	}
	p.errorf(n, key, "want a size such as 52428800, 50MB or 48MiB, got %s", describe(n))
	return 0, false
}

var units = map[string]float64{
	"": 1, "b": 1,
	"k": 1e3, "kb": 1e3, "m": 1e6, "mb": 1e6, "g": 1e9, "gb": 1e9, "t": 1e12, "tb": 1e12,
	"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
}

func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' && r != '_' })
	if i < 0 {
		i = len(s)
	}
	num, unit := strings.ReplaceAll(s[:i], "_", ""), strings.ToLower(strings.TrimSpace(s[i:]))
	f, err := strconv.ParseFloat(num, 64)
	mul, ok := units[unit]
	if err != nil || !ok || f < 0 {
		return 0, fmt.Errorf("bad size %q", s)
	}
	v := f * mul
	if v >= math.MaxInt64 {
		return 0, fmt.Errorf("size %q too large", s)
	}
	return int64(v), nil
}

// stringMap reads a mapping of plain keys to strings, checking both.
func (p *parser) stringMap(n *yaml.Node, key string, check func(k, v string) error) map[string]string {
	out := map[string]string{}
	if !p.kind(n, key, yaml.MappingNode, "a mapping") {
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		full := key + "." + k.Value
		if _, dup := out[k.Value]; dup {
			p.errorf(k, full, "duplicate key")
			continue
		}
		s, ok := p.str(v, full)
		if !ok {
			continue
		}
		if err := check(k.Value, s); err != nil {
			p.errorf(k, full, "%v", err)
			continue
		}
		out[k.Value] = s
	}
	return out
}
