package inventory

// entryList gathers a layer's entries in chunks and hands them over as
// one slice of the exact length. A slice grown by append to a million
// entries would allocate about five times its final size on the way,
// copy four, and keep up to a quarter of its capacity unused.
type entryList struct {
	full [][]entry
	cur  []entry
	n    int
}

// The first chunk is small, for the many small layers; chunks then double
// up to the largest.
const (
	firstEntryChunk = 64
	maxEntryChunk   = 4096
)

// add returns a zero entry at the end of the list; it stays in place
// until the next add.
func (l *entryList) add() *entry {
	if len(l.cur) == cap(l.cur) {
		size := firstEntryChunk
		if l.cur != nil {
			l.full = append(l.full, l.cur)
			size = min(2*cap(l.cur), maxEntryChunk)
		}
		l.cur = make([]entry, 0, size)
	}
	l.cur = l.cur[:len(l.cur)+1]
	l.n++
	return &l.cur[len(l.cur)-1]
}

// dropLast removes the entry the last add returned.
func (l *entryList) dropLast() {
	l.cur[len(l.cur)-1] = entry{}
	l.cur = l.cur[:len(l.cur)-1]
	l.n--
}

func (l *entryList) len() int { return l.n }

// slice returns the entries and empties the list. Each chunk is let go
// as soon as it is copied.
func (l *entryList) slice() []entry {
	if len(l.full) == 0 {
		out := l.cur
		l.cur = nil
		return out
	}
	out := make([]entry, 0, l.n)
	for i, c := range l.full {
		out = append(out, c...)
		l.full[i] = nil
	}
	out = append(out, l.cur...)
	*l = entryList{}
	return out
}
