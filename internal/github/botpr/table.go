package botpr

import (
	"regexp"
	"strings"
)

// The tables bots list updates in. Renovate's PR body:
//
//	| Package | Type | Update | Change |
//	|---|---|---|---|
//	| golang | stage | digest | `a9cfb75` → `f49565f` |
//	| [requests](https://…) ([source](…)) | `==2.25.1` -> `==2.26.0` | … |
//
// and Dependabot's group body:
//
//	| Package | From | To |
//	| --- | --- | --- |
//	| [requests](https://…) | `2.31.0` | `2.32.3` |
//
// The columns are found by their header; other columns are ignored.
const (
	maxColumns = 16
	// maxJoins bounds the lines a row broken by line wrapping is rejoined
	// from: a commit made from a PR body wraps it at about 72 columns.
	maxJoins = 4
)

var (
	delimCellRe  = regexp.MustCompile(`^:?-+:?$`)
	leadLinkRe   = regexp.MustCompile(`^\[([^\]]{1,256})\]\(`)
	changeLinkRe = regexp.MustCompile(`^\[([^\]]{1,512})\]\([^)]*\)$`)
)

// columns are the positions of the cells a table's header names, -1 for
// those it lacks.
type columns struct {
	n                                          int
	pkg, depType, updateType, change, from, to int
}

// tableHeader reads a header row followed by its delimiter row; ok is
// false unless it names a package and its versions.
func tableHeader(line, delim string) (c columns, ok bool) {
	if !strings.HasPrefix(line, "|") || !isDelimiterRow(delim) {
		return c, false
	}
	c = columns{pkg: -1, depType: -1, updateType: -1, change: -1, from: -1, to: -1}
	cells := splitRow(line)
	c.n = len(cells)
	for i, cell := range cells {
		switch strings.ToLower(cell) {
		case "package":
			c.pkg = i
		case "type":
			c.depType = i
		case "update":
			c.updateType = i
		case "change":
			c.change = i
		case "from":
			c.from = i
		case "to":
			c.to = i
		}
	}
	return c, c.pkg >= 0 && (c.change >= 0 || c.from >= 0 && c.to >= 0)
}

func isDelimiterRow(line string) bool {
	line = strings.TrimSpace(line)
	if !strings.HasPrefix(line, "|") {
		return false
	}
	for _, cell := range splitRow(line) {
		if !delimCellRe.MatchString(cell) {
			return false
		}
	}
	return true
}

// readTable reads the rows from lines[i] on, for the header c, and
// returns the index of the first line after the table and the number of
// updates its rows name.
func (d *Declared) readTable(lines []string, i int, c columns) (next, read int) {
	for ; i < len(lines); i++ {
		row := strings.TrimSpace(lines[i])
		if !strings.HasPrefix(row, "|") {
			break
		}
		row, i = rejoin(row, lines, i, c.n)
		if u, ok := c.read(splitRow(row)); ok {
			d.Updates = add(d.Updates, u)
			read++
		}
	}
	return i, read
}

// rejoin mends a row that line wrapping broke: while it lacks cells or
// its closing pipe, the next line continues it, unless that line is a row
// of its own. A row that cannot be mended reads as what it holds, and a
// cell it lacks as an unknown.
func rejoin(row string, lines []string, i, n int) (string, int) {
	for j := 0; j < maxJoins && i+1 < len(lines); j++ {
		cells := len(splitRow(row))
		closed := strings.HasSuffix(row, "|") && !strings.HasSuffix(row, `\|`)
		if closed && cells >= n {
			break
		}
		next := strings.TrimSpace(lines[i+1])
		if next == "" || strings.HasPrefix(next, "|") && next != "|" && cells >= n {
			break
		}
		row, i = row+" "+next, i+1
	}
	return row, i
}

// read reads one row.
func (c columns) read(cells []string) (Update, bool) {
	cell := func(i int) string {
		if i < 0 || i >= len(cells) {
			return ""
		}
		return cells[i]
	}
	name := packageName(cell(c.pkg))
	if !isName(name) {
		return Update{}, false
	}
	kind := clean(cell(c.updateType))
	rule := hexLikely
	if k := strings.ToLower(kind); k == "digest" || k == "pindigest" {
		rule = hexAlways
	}
	var u Update
	if c.change >= 0 {
		from, to := splitChange(cell(c.change))
		u = newUpdate(name, from, to, rule)
	} else {
		u = newUpdate(name, cell(c.from), cell(c.to), rule)
	}
	u.Type, u.UpdateType = clean(cell(c.depType)), kind
	return u, true
}

// packageName reads a Package cell: a Markdown link's text (whole: a name
// with spaces is refused later), else the first word, maybe a code span
// ("golang", "[requests](…) ([source](…))").
func packageName(cell string) string {
	if m := leadLinkRe.FindStringSubmatch(cell); m != nil {
		return clean(m[1])
	}
	if f := strings.Fields(cell); len(f) > 0 {
		return clean(f[0])
	}
	return ""
}

// splitChange reads a Change cell, "`1.24` → `1.25`" or "`1.24` -> `1.25`",
// maybe as the text of a link to the diff; a cell without an arrow is the
// new version alone.
func splitChange(cell string) (from, to string) {
	if m := changeLinkRe.FindStringSubmatch(cell); m != nil {
		cell = m[1]
	}
	for _, arrow := range []string{"→", "->"} {
		if from, to, ok := strings.Cut(cell, arrow); ok {
			return from, to
		}
	}
	return "", cell
}

// splitRow cuts a row into trimmed cells at the pipes not escaped, with
// "\|" read as "|", at most maxColumns of them.
func splitRow(row string) []string {
	row = strings.TrimPrefix(strings.TrimSpace(row), "|")
	if strings.HasSuffix(row, "|") && !strings.HasSuffix(row, `\|`) {
		row = row[:len(row)-1]
	}
	var cells []string
	var b strings.Builder
	for i := 0; i < len(row); i++ {
		switch {
		case row[i] == '\\' && i+1 < len(row) && row[i+1] == '|':
			b.WriteByte('|')
			i++
		case row[i] == '|':
			cells = append(cells, strings.TrimSpace(b.String()))
			b.Reset()
			if len(cells) == maxColumns {
				return cells
			}
		default:
			b.WriteByte(row[i])
		}
	}
	return append(cells, strings.TrimSpace(b.String()))
}
