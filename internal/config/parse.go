package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"gopkg.in/yaml.v3"
)

// maxErrors reported at once; the rest are counted.
const maxErrors = 10

// Parse reads a configuration from data; name is used in error messages
// ("name:LINE: key.path: what is wrong").
func Parse(name string, data []byte) (*Config, error) {
	c := Default()
	c.Path = name
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return c, nil // an empty file: the defaults
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var more yaml.Node
	if err := dec.Decode(&more); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: want one YAML document, found more", name)
	}
	p := &parser{file: name, c: c}
	if len(doc.Content) == 1 && !isNull(doc.Content[0]) {
		p.mapping(doc.Content[0], "", p.top())
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return c, nil
}

type parser struct {
	file string
	c    *Config
	errs []string
}

func (p *parser) errorf(n *yaml.Node, key, format string, a ...any) {
	msg := fmt.Sprintf(format, a...)
	if key != "" {
		msg = key + ": " + msg
	}
	p.errs = append(p.errs, fmt.Sprintf("%s:%d: %s", p.file, n.Line, msg))
}

func (p *parser) err() error {
	switch n := len(p.errs); {
	case n == 0:
		return nil
	case n > maxErrors:
		p.errs = append(p.errs[:maxErrors], fmt.Sprintf("and %d more errors", n-maxErrors))
	}
	return errors.New(strings.Join(p.errs, "; "))
}

// field is a key of a mapping and what to do with its value.
type field struct {
	name string
	set  func(n *yaml.Node, key string)
}

func (p *parser) mapping(n *yaml.Node, key string, fields []field) {
	if !p.kind(n, key, yaml.MappingNode, "a mapping") {
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		full := join(key, k.Value)
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, key, "want a plain key")
			continue
		}
		if seen[k.Value] {
			p.errorf(k, full, "duplicate key")
			continue
		}
		seen[k.Value] = true
		f := lookup(fields, k.Value)
		if f == nil {
			p.errorf(k, key, "unknown key %q (known: %s)", k.Value, names(fields))
			continue
		}
		if v.Kind == yaml.AliasNode {
			p.errorf(v, full, "YAML aliases are not supported")
			continue
		}
		if !isNull(v) {
			f.set(v, full)
		}
	}
}

// kind checks a node's kind; aliases are refused so that a file cannot
// expand into more than it says.
func (p *parser) kind(n *yaml.Node, key string, want yaml.Kind, what string) bool {
	if n.Kind == want {
		return true
	}
	p.errorf(n, key, "want %s, got %s", what, describe(n))
	return false
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", clip(n.Value))
	}
	return "nothing"
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

func lookup(fields []field, name string) *field {
	for i := range fields {
		if fields[i].name == name {
			return &fields[i]
		}
	}
	return nil
}

func names(fields []field) string {
	s := make([]string, len(fields))
	for i, f := range fields {
		s[i] = f.name
	}
	return strings.Join(s, ", ")
}

func join(key, name string) string {
	if key == "" {
		return name
	}
	return key + "." + name
}
