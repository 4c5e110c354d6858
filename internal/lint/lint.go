package lint

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// MaxSize is the largest Dockerfile Lint reads; real ones are a few KB.
const MaxSize = 4 << 20

// Lint checks one Dockerfile. name is how findings refer to the file. It
// fails only when the file cannot be parsed at all; the error names the
// file and line.
func Lint(name string, src []byte, opts Options) ([]Finding, error) {
	d, err := parse(name, src)
	if err != nil {
		return nil, err
	}
	l := &linter{d: d, opts: opts, runs: map[*instr]*runInfo{}}
	for _, in := range d.all {
		if in.kw == "run" && in.stage != nil {
			if info := d.analyseRun(in); info != nil {
				l.runs[in] = info
			}
		}
	}
	l.checkBaseImages()
	l.checkTargets()
	l.checkArgs()
	l.checkStages()
	sort.SliceStable(l.out, func(i, j int) bool {
		a, b := l.out[i], l.out[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Message < b.Message
	})
	return l.out, nil
}

// parse runs BuildKit's parser and builds the model the rules read.
func parse(name string, src []byte) (*dockerfile, error) {
	if len(src) > MaxSize {
		return nil, fmt.Errorf("%s: Dockerfile larger than %d bytes", name, MaxSize)
	}
	res, err := parser.Parse(bytes.NewReader(src))
	if err != nil {
		return nil, parseError(name, src, err)
	}
	return buildModel(newSrcFile(name, src), res), nil
}

// parseError names the file and line of a parser error. BuildKit counts
// the line of a bad escape directive from 0, so that one is looked up.
func parseError(name string, src []byte, err error) error {
	var le *parser.LocationError
	if errors.As(err, &le) && len(le.Locations) > 0 && len(le.Locations[0]) > 0 {
		line := le.Locations[0][0].Start.Line
		if strings.Contains(err.Error(), "escape token") {
			line = directiveLine(src, "escape")
		}
		if line > 0 {
			return fmt.Errorf("%s:%d: parse Dockerfile: %w", name, line, le.Unwrap())
		}
	}
	return fmt.Errorf("%s: parse Dockerfile: %w", name, err)
}

var directiveRe = regexp.MustCompile(`^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=`)

// directiveLine finds the parser directive key among the leading comment
// lines, or returns 0.
func directiveLine(src []byte, key string) int {
	f := newSrcFile("", src)
	for n := 1; n <= f.lines(); n++ {
		b, _ := f.line(n)
		m := directiveRe.FindSubmatch(bytes.TrimSpace(b))
		if m == nil {
			return 0
		}
		if strings.EqualFold(string(m[1]), key) {
			return n
		}
	}
	return 0
}

// linter collects the findings of one file.
type linter struct {
	d    *dockerfile
	opts Options
	runs map[*instr]*runInfo
	out  []Finding
	sup  map[int]map[string]bool // suppressions by instruction line
}

// report adds a finding at a source offset inside instruction in, unless
// the rule is disabled or an ignore comment above in silences it.
func (l *linter) report(in *instr, rule string, off int, format string, a ...any) {
	r, ok := ruleByID(rule)
	if !ok || l.opts.Disabled[rule] || l.silenced(in, rule) {
		return
	}
	line, col := l.d.src.position(off)
	l.out = append(l.out, Finding{
		Rule:    rule,
		Level:   l.opts.levelOf(r),
		File:    l.d.src.name,
		Line:    line,
		Column:  col,
		Message: fmt.Sprintf(format, a...),
	})
}

func (l *linter) silenced(in *instr, rule string) bool {
	if in == nil {
		return false
	}
	if l.sup == nil {
		l.sup = map[int]map[string]bool{}
	}
	s, ok := l.sup[in.line]
	if !ok {
		s = l.d.src.suppressed(in.line)
		l.sup[in.line] = s
	}
	return s["all"] || s[rule]
}
