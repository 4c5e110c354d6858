package dpkg

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"iter"
)

// list is a .list file as the pass keeps it: each path stored as the
// length of the prefix it shares with the path before and the rest.
// dpkg writes a package's paths in the order of its archive, so that
// most share a long prefix (/usr/share/doc/PACKAGE/): a large image's
// lists take a quarter of their size.
type list struct {
	data      []byte
	truncated bool
}

// listExtractor front-codes a .list file as it streams by.
type listExtractor struct {
	l     list
	prev  []byte
	lines lineSplitter
	size  int64
}

func (x *listExtractor) Write(p []byte) (int, error) {
	x.size += int64(len(p))
	x.lines.write(p, x.add)
	return len(p), nil
}

func (x *listExtractor) add(line []byte) {
	line = bytes.TrimSuffix(line, []byte("\r"))
	if len(line) == 0 || x.l.truncated {
		return
	}
	shared := 0
	for shared < len(line) && shared < len(x.prev) && line[shared] == x.prev[shared] {
		shared++
	}
	if len(x.l.data)+len(line)-shared+2*binary.MaxVarintLen32 > maxList {
		x.l.truncated = true
		return
	}
	x.l.data = binary.AppendUvarint(x.l.data, uint64(shared))
	x.l.data = binary.AppendUvarint(x.l.data, uint64(len(line)-shared))
	x.l.data = append(x.l.data, line[shared:]...)
	x.prev = append(x.prev[:0], line...)
}

func (x *listExtractor) Result() (any, error) {
	x.lines.end(x.add)
	x.l.data = bytes.Clone(x.l.data) // drop the spare capacity of appending
	if x.l.truncated {
		return &x.l, fmt.Errorf("file is %d bytes, more paths than the %d-byte cap; the rest are left out", x.size, maxList)
	}
	return &x.l, nil
}

// paths yields the paths of the list in order; the slice is reused.
func (l *list) paths() iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		var cur []byte
		data := l.data
		for len(data) > 0 {
			shared, n := binary.Uvarint(data)
			if n <= 0 {
				return
			}
			data = data[n:]
			rest, n := binary.Uvarint(data)
			if n <= 0 || shared > uint64(len(cur)) || rest > uint64(len(data)-n) {
				return
			}
			data = data[n:]
			cur = append(cur[:shared], data[:rest]...)
			data = data[rest:]
			if !yield(cur) {
				return
			}
		}
	}
}
