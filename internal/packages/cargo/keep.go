package cargo

import (
	"bytes"
	"cmp"
	"errors"
	"slices"

	"github.com/imagedrift/imagedrift/internal/packages/bufpool"
)

// span is a byte range of the file to keep, filled as the stream passes.
type span struct {
	start, end int64
	buf        []byte
}

// keeper copies the chosen byte ranges out of a stream. Ranges are
// sorted and merged when set; buffers are allocated when the stream
// reaches them.
type keeper struct {
	spans []span
}

// add adds [start, end) to the kept ranges; call before the stream
// reaches start.
func (k *keeper) add(start, end int64) {
	if start < 0 || end <= start {
		return
	}
	k.spans = append(k.spans, span{start: start, end: end})
	slices.SortFunc(k.spans, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	merged := k.spans[:1]
	for _, s := range k.spans[1:] {
		last := &merged[len(merged)-1]
		if s.start <= last.end {
			last.end = max(last.end, s.end)
			continue
		}
		merged = append(merged, s)
	}
	k.spans = merged
}

// write copies the part of p (at file offset off) that falls in a range.
func (k *keeper) write(p []byte, off int64) {
	end := off + int64(len(p))
	for i := range k.spans {
		s := &k.spans[i]
		lo, hi := max(s.start, off), min(s.end, end)
		if lo >= hi {
			continue
		}
		if s.buf == nil {
			s.buf = bufpool.Get(int(s.end - s.start))
		}
		if s.start+int64(len(s.buf)) == lo { // contiguous, as a stream is
			s.buf = append(s.buf, p[lo-off:hi-off]...)
		}
	}
}

// release hands the buffers back to the pool; the keeper must not be
// used afterwards.
func (k *keeper) release() {
	for i := range k.spans {
		bufpool.Put(k.spans[i].buf)
		k.spans[i].buf = nil
	}
}

// done reports whether the stream is past every range.
func (k *keeper) done(off int64) bool {
	return len(k.spans) == 0 || k.spans[len(k.spans)-1].end <= off
}

var errNotKept = errors.New("bytes not kept")

// ReadAt serves reads that fall entirely inside one kept range, so that
// debug/elf can parse the headers and the sections that were kept.
func (k *keeper) ReadAt(p []byte, off int64) (int, error) {
	for _, s := range k.spans {
		if off >= s.start && off+int64(len(p)) <= s.start+int64(len(s.buf)) {
			return copy(p, s.buf[off-s.start:]), nil
		}
	}
	return 0, errNotKept
}

// contains reports whether any kept range holds sub.
func (k *keeper) contains(sub []byte) bool {
	for _, s := range k.spans {
		if bytes.Contains(s.buf, sub) {
			return true
		}
	}
	return false
}
