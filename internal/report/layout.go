package report

import (
	"fmt"
	"strings"
)

// The Markdown body is laid out from blocks of fixed text and tables of
// rows. When the whole does not fit the budget, whole rows are left out
// (details first, the risks table last) and then whole blocks, so that no
// tag or table is ever cut in the middle.

type blockKind int

const (
	kindHead    blockKind = iota // verdict and summary: always kept
	kindRisks                    // the risks table
	kindExtra                    // sections given by the caller
	kindDetails                  // folded <details> sections
)

type block struct {
	kind    blockKind
	open    string // "<details><summary>…</summary>\n\n"
	text    string // before the tables
	tables  []*table
	tail    string // after the tables
	close   string
	dropped bool
}

type table struct {
	intro  string // a title line, kept with the note even without rows
	header string // header and delimiter rows
	rows   []string
	hidden int // rows not offered (a cap), counted in the note
	keep   int // rows kept by the layout
}

// noteReserve bounds the length of a table's "… and N more" note.
const noteReserve = 64

func (t *table) note() string {
	left := len(t.rows) - t.keep + t.hidden
	switch {
	case left == 0:
		return ""
	case t.keep == 0:
		return fmt.Sprintf("_%s %s not shown._\n\n", count(left), plural(left, "row", "rows"))
	}
	return fmt.Sprintf("_… and %s more not shown._\n\n", count(left))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func (t *table) offered() bool { return len(t.rows)+t.hidden > 0 }

// rowCost is what keeping one more row adds: the header and the blank
// line closing the table come with the first.
func (t *table) rowCost() int {
	c := len(t.rows[t.keep])
	if t.keep == 0 {
		c += len(t.header) + 1
	}
	return c
}

func (b *block) fixedCost() int {
	n := len(b.open) + len(b.text) + len(b.tail) + len(b.close)
	for _, t := range b.tables {
		if t.offered() {
			n += len(t.intro) + noteReserve
		}
	}
	return n
}

func (b *block) render(w *strings.Builder) {
	w.WriteString(b.open)
	w.WriteString(b.text)
	for _, t := range b.tables {
		if !t.offered() {
			continue
		}
		w.WriteString(t.intro)
		if t.keep > 0 {
			w.WriteString(t.header)
			for _, r := range t.rows[:t.keep] {
				w.WriteString(r)
			}
			w.WriteString("\n")
		}
		w.WriteString(t.note())
	}
	w.WriteString(b.tail)
	w.WriteString(b.close)
}

// minRiskRows is how many rows of the risks table outrank the details:
// folded sections are dropped, if need be, to keep them.
const minRiskRows = 5

// layout decides what is kept; reserve is kept free for the closing note.
func layout(blocks []*block, budget, reserve int) {
	used := reserve
	for _, b := range blocks {
		used += b.fixedCost()
		if b.kind == kindRisks {
			for _, t := range b.tables {
				for t.keep < min(minRiskRows, len(t.rows)) {
					used += t.rowCost()
					t.keep++
				}
			}
		}
	}
	for _, kind := range []blockKind{kindDetails, kindExtra, kindRisks} {
		for i := len(blocks) - 1; i >= 0 && used > budget; i-- {
			if b := blocks[i]; b.kind == kind && !b.dropped {
				b.dropped = true
				used -= b.fixedCost()
				for _, t := range b.tables {
					for t.keep > 0 {
						t.keep--
						used -= t.rowCost()
					}
				}
			}
		}
	}
	for _, kind := range []blockKind{kindRisks, kindExtra, kindDetails} {
		var active []*table
		for _, b := range blocks {
			if b.kind == kind && !b.dropped {
				active = append(active, b.tables...)
			}
		}
		// One row per table per round: a long table does not starve
		// the ones after it.
		for len(active) > 0 {
			next := active[:0]
			for _, t := range active {
				if t.keep == len(t.rows) {
					continue
				}
				if c := t.rowCost(); used+c <= budget {
					t.keep++
					used += c
					next = append(next, t)
				}
			}
			active = next
		}
	}
}

// cut counts what the layout left out for lack of room.
func cut(blocks []*block) (sections, rows int) {
	for _, b := range blocks {
		if b.dropped {
			sections++
			continue
		}
		for _, t := range b.tables {
			rows += len(t.rows) - t.keep
		}
	}
	return sections, rows
}

func render(blocks []*block, closing string) string {
	var w strings.Builder
	for _, b := range blocks {
		if !b.dropped {
			b.render(&w)
		}
	}
	w.WriteString(closing)
	return w.String()
}
