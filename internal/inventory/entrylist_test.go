package inventory

import (
	"strconv"
	"testing"
)

func TestEntryList(t *testing.T) {
	for _, n := range []int{0, 1, 64, 65, 10_000} {
		var l entryList
		for i := 0; i < n; i++ {
			l.add().path = strconv.Itoa(i)
			if i%7 == 0 { // a header without a path, dropped
				l.dropLast()
				l.add().path = strconv.Itoa(i)
			}
		}
		if l.len() != n {
			t.Errorf("%d entries: len %d", n, l.len())
		}
		got := l.slice()
		if len(got) != n {
			t.Fatalf("%d entries: slice of %d", n, len(got))
		}
		if n > firstEntryChunk && cap(got) != n {
			t.Errorf("%d entries: capacity %d", n, cap(got))
		}
		for i, e := range got {
			if e.path != strconv.Itoa(i) {
				t.Fatalf("%d entries: entry %d is %q", n, i, e.path)
			}
		}
	}
}
