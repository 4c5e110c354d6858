package botpr

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/imagedrift/imagedrift/internal/oneline"
	"gopkg.in/yaml.v3"
)

// Dependabot's commit message: a body that names the updates, then a YAML
// document after "---":
//
//	updated-dependencies:
//	- dependency-name: golang.org/x/net
//	  dependency-version: 0.38.0
//	  dependency-type: direct:production
//	  update-type: version-update:semver-minor
//	  dependency-group: go-deps
//	...
var (
	bumpsLinkRe  = regexp.MustCompile(`^Bumps \[([^\]]{1,256})\]\([^)]*\) from (.+) to (.+?)\.?$`)
	bumpsPlainRe = regexp.MustCompile(`^Bumps (\S+) from (.+) to (.+?)\.?$`)
	updatesRe    = regexp.MustCompile("^Updates `([^`]{1,256})` from (.+) to (.+?)\\.?$")
	// Without "from" when Dependabot does not know the version it replaces.
	bumpsLinkToRe  = regexp.MustCompile(`^Bumps \[([^\]]{1,256})\]\([^)]*\) to (.+?)\.?$`)
	bumpsPlainToRe = regexp.MustCompile(`^Bumps (\S+) to (.+?)\.?$`)
	updatesToRe    = regexp.MustCompile("^Updates `([^`]{1,256})` to (.+?)\\.?$")
	groupLineRe    = regexp.MustCompile(`^Bumps the (\S+) group(?: in (/\S*))? with (\d+) updates?(?: in the (/\S*) director(?:y|ies))?(?: across \d+ director(?:y|ies))?:(.*)$`)
	linkNameRe     = regexp.MustCompile(`\[([^\]]{1,256})\]\(`)
	togetherRe     = regexp.MustCompile(`^Bumps (\[.+)\. These dependencies needed to be updated together\.$`)
	permitRe       = regexp.MustCompile(`^Updates the requirements on (\[.+) to permit the latest version\.$`)
)

// yamlDep is one entry of updated-dependencies.
type yamlDep struct {
	Name       string `yaml:"dependency-name"`
	Version    string `yaml:"dependency-version"`
	Type       string `yaml:"dependency-type"`
	UpdateType string `yaml:"update-type"`
	Group      string `yaml:"dependency-group"`
}

// ParseMessage reads the updates a Dependabot commit message declares:
// the updated-dependencies block names them, the body adds the versions
// older messages leave out of the block. Other messages declare nothing.
func ParseMessage(msg string) Declared {
	d, _ := parseText(msg, maxMessage)
	return d
}

// parseText reads a commit message or a pull request's body: its lines
// and tables, then the updated-dependencies block. tabled reports a table
// of updates, which Renovate writes to list every update of its PR.
func parseText(text string, limit int) (d Declared, tabled bool) {
	text = strings.ReplaceAll(oneline.Cap(text, limit), "\r\n", "\n")
	body, block := splitBlock(text)
	tabled = d.readLines(strings.Split(body, "\n"))
	deps, err := parseBlock(block)
	if err != nil || len(deps) == 0 {
		return d, tabled
	}
	// The block is the list of record; the body only adds versions.
	fromBody := d.Updates
	paired := make([]bool, len(fromBody))
	listed := map[string]bool{}
	d.Updates = nil
	for _, y := range deps {
		u := Update{Name: clean(y.Name), To: clean(y.Version), Type: clean(y.Type),
			UpdateType: clean(y.UpdateType), Group: clean(y.Group)}
		if !isName(u.Name) {
			continue
		}
		listed[strings.ToLower(u.Name)] = true
		// The block lists a name once per update, in the body's order:
		// the n-th entry of a name takes the n-th body line of it.
		if i := pair(fromBody, paired, u); i >= 0 {
			u = merge(u, fromBody[i])
		}
		d.Updates = add(d.Updates, u)
		if d.Group == "" {
			d.Group = u.Group
		}
	}
	// A body line of a listed name left unpaired is one more update of it
	// (another major line, another directory).
	for i, b := range fromBody {
		if !paired[i] && listed[strings.ToLower(b.Name)] {
			d.Updates = add(d.Updates, b)
		}
	}
	keepTags(d.Updates)
	return d, tabled
}

// readLines reads the updates the lines name, outside <details> blocks:
// those hold release notes and changelogs, in which any line may stand.
func (d *Declared) readLines(lines []string) (tabled bool) {
	depth := 0
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		switch {
		case strings.HasPrefix(line, "<details"):
			depth++
		case strings.HasPrefix(line, "</details>"):
			depth = max(depth-1, 0)
		case depth > 0:
		case i+1 < len(lines):
			if c, ok := tableHeader(line, lines[i+1]); ok {
				next, read := d.readTable(lines, i+2, c)
				i, tabled = next-1, tabled || read > 0
				continue
			}
			d.readBodyLine(line)
		default:
			d.readBodyLine(line)
		}
	}
	return tabled
}

// pair finds the first body update not yet paired that u may be: same
// name, new versions that do not contradict.
func pair(body []Update, paired []bool, u Update) int {
	for i, b := range body {
		if !paired[i] && strings.EqualFold(b.Name, u.Name) && !differ(b.To, u.To) {
			paired[i] = true
			return i
		}
	}
	return -1
}

// splitBlock cuts the message at the updated-dependencies document.
func splitBlock(msg string) (body, block string) {
	i := strings.Index(msg, "\nupdated-dependencies:")
	if strings.HasPrefix(msg, "updated-dependencies:") {
		i = 0
	} else if i < 0 {
		return msg, ""
	} else {
		i++
	}
	body, block = msg[:i], msg[i:]
	// The document ends at "..." (YAML's end marker) or at the next one.
	for _, end := range []string{"\n...", "\n---"} {
		if j := strings.Index(block, end); j >= 0 {
			block = block[:j+1]
		}
	}
	return body, block
}

// parseBlock decodes the block, whatever its content: a malformed block
// declares nothing.
func parseBlock(block string) (deps []yamlDep, err error) {
	if block == "" {
		return nil, nil
	}
	defer func() {
		if r := recover(); r != nil {
			deps, err = nil, fmt.Errorf("updated-dependencies: %v", r)
		}
	}()
	var doc struct {
		Deps []yamlDep `yaml:"updated-dependencies"`
	}
	if err := yaml.Unmarshal([]byte(block), &doc); err != nil {
		return nil, fmt.Errorf("updated-dependencies: %w", err)
	}
	if len(doc.Deps) > maxUpdates {
		doc.Deps = doc.Deps[:maxUpdates]
	}
	return doc.Deps, nil
}

// readBodyLine takes what one line of the body says.
func (d *Declared) readBodyLine(line string) {
	if m := groupLineRe.FindStringSubmatch(line); m != nil {
		// A group across directories has one such line per directory.
		d.Group, d.Count = clean(m[1]), max(d.Count, count(m[3]))
		d.addDirectory(m[2])
		d.addDirectory(m[4])
		d.addNames(m[5])
		return
	}
	for _, re := range []*regexp.Regexp{bumpsLinkRe, updatesRe, bumpsPlainRe} {
		if m := re.FindStringSubmatch(line); m != nil && isName(m[1]) {
			d.Updates = add(d.Updates, newUpdate(m[1], m[2], m[3], hexQuoted))
			return
		}
	}
	for _, re := range []*regexp.Regexp{bumpsLinkToRe, updatesToRe, bumpsPlainToRe} {
		if m := re.FindStringSubmatch(line); m != nil && isName(m[1]) {
			d.Updates = add(d.Updates, newUpdate(m[1], "", m[2], hexQuoted))
			return
		}
	}
	for _, re := range []*regexp.Regexp{togetherRe, permitRe} {
		if m := re.FindStringSubmatch(line); m != nil {
			d.addLinks(m[1])
			return
		}
	}
}

// addNames adds the names a group line lists: "a, [b](…) and [c](…).",
// each a Markdown link or, where Dependabot knows no address, plain.
func (d *Declared) addNames(s string) {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	for _, item := range listSepRe.Split(s, maxUpdates) {
		if m := linkNameRe.FindStringSubmatch(item); m != nil {
			item = m[1]
		} else if strings.ContainsAny(item, "[]()") {
			continue
		}
		if isName(item) {
			d.Updates = add(d.Updates, Update{Name: clean(item)})
		}
	}
}

// addLinks adds the names of the Markdown links in s: "[a](…) and [b](…)".
func (d *Declared) addLinks(s string) {
	for _, m := range linkNameRe.FindAllStringSubmatch(s, maxUpdates) {
		if isName(m[1]) {
			d.Updates = add(d.Updates, Update{Name: clean(m[1])})
		}
	}
}
