package rpm

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// rpm's SQLite backend (rpm 4.16+: Fedora 33+, RHEL 9, Amazon Linux 2023)
// keeps each header in table Packages(hnum INTEGER PRIMARY KEY, blob BLOB).
// Reading one table needs only SQLite's table b-trees, records and
// overflow pages (sqlite.org/fileformat2.html), implemented here over the
// bytes in memory: the Go SQLite drivers need a file, or bring a C or Wasm
// engine for what is a read of one column.
const (
	sqliteMagic     = "SQLite format 3\x00"
	sqliteLeafTable = 0x0d
	sqliteInnerTbl  = 0x05
	sqliteMaxDepth  = 32
)

type sqliteDB struct {
	data     []byte
	pageSize int
	usable   int // page size less the reserved bytes at the end of each page
	pages    int
	visited  map[int]bool // b-tree pages walked, against loops
	// overflowUsed marks overflow pages already read: each belongs to one
	// cell, and cells sharing a long chain would cost quadratic time.
	overflowUsed map[int]bool
	// budget is what is left of the file's size for cell payloads: cells
	// of a real file do not overlap, and cell pointers repeating one large
	// cell would otherwise multiply the work.
	budget int64
}

func sqliteMagicOK(data []byte) bool { return bytes.HasPrefix(data, []byte(sqliteMagic)) }

// sqliteBlobs returns column blob of every row of table Packages.
func sqliteBlobs(data []byte) ([][]byte, []string, error) {
	if !sqliteMagicOK(data) || len(data) < 100 {
		return nil, nil, errors.New("not an SQLite database")
	}
	db := &sqliteDB{data: data, pageSize: int(binary.BigEndian.Uint16(data[16:]))}
	if db.pageSize == 1 {
		db.pageSize = 65536
	}
	if db.pageSize < 512 || db.pageSize&(db.pageSize-1) != 0 {
		return nil, nil, fmt.Errorf("SQLite page size %d", db.pageSize)
	}
	db.usable = db.pageSize - int(data[20])
	if db.usable < 480 {
		return nil, nil, fmt.Errorf("SQLite usable page size %d", db.usable)
	}
	db.pages = len(data) / db.pageSize
	db.overflowUsed = map[int]bool{}
	db.budget = 2 * int64(len(data))
	root, err := db.tableRoot("Packages")
	if err != nil {
		return nil, nil, err
	}
	var blobs [][]byte
	var problems []string
	db.visited = map[int]bool{}
	err = db.walk(root, 0, func(rowid int64, payload []byte) {
		cols, err := record(payload)
		switch {
		case err != nil:
			problems = append(problems, fmt.Sprintf("row %d: %v", rowid, err))
		case len(cols) < 2 || cols[1] == nil:
			problems = append(problems, fmt.Sprintf("row %d: no blob column", rowid))
		default:
			blobs = append(blobs, cols[1])
		}
	})
	return blobs, problems, err
}

// tableRoot finds a table's root page in the schema table on page 1.
func (db *sqliteDB) tableRoot(name string) (int, error) {
	root := 0
	db.visited = map[int]bool{}
	err := db.walk(1, 0, func(_ int64, payload []byte) {
		cols, err := record(payload)
		if err != nil || len(cols) < 4 || string(cols[0]) != "table" || string(cols[1]) != name {
			return
		}
		root = int(recordInt(cols[3]))
	})
	if err != nil {
		return 0, fmt.Errorf("SQLite schema: %w", err)
	}
	if root < 1 || root > db.pages {
		return 0, fmt.Errorf("SQLite database has no table %s", name)
	}
	return root, nil
}

// page returns page n (1-based); page 1 starts with the 100-byte file
// header, which its b-tree header follows.
func (db *sqliteDB) page(n int) ([]byte, int, error) {
	if n < 1 || n > db.pages {
		return nil, 0, fmt.Errorf("page %d outside the %d-page file", n, db.pages)
	}
	p := db.data[(n-1)*db.pageSize : n*db.pageSize]
	if n == 1 {
		return p, 100, nil
	}
	return p, 0, nil
}

// walk visits every row of the table b-tree rooted at page n, in order.
func (db *sqliteDB) walk(n, depth int, row func(rowid int64, payload []byte)) error {
	if depth > sqliteMaxDepth || db.visited[n] {
		return fmt.Errorf("b-tree loop or depth at page %d", n)
	}
	db.visited[n] = true
	p, h, err := db.page(n)
	if err != nil {
		return err
	}
	if h+12 > len(p) {
		return fmt.Errorf("page %d too short", n)
	}
	kind, cells := p[h], int(binary.BigEndian.Uint16(p[h+3:]))
	hdr := 8
	if kind == sqliteInnerTbl {
		hdr = 12
	} else if kind != sqliteLeafTable {
		return fmt.Errorf("page %d is not a table b-tree page (type %d)", n, kind)
	}
	if h+hdr+2*cells > db.usable {
		return fmt.Errorf("page %d: %d cells do not fit", n, cells)
	}
	for i := 0; i < cells; i++ {
		off := int(binary.BigEndian.Uint16(p[h+hdr+2*i:]))
		if off < h+hdr || off >= db.usable {
			return fmt.Errorf("page %d: cell %d at %d", n, i, off)
		}
		if err := db.cell(kind, p[off:db.usable], depth, row); err != nil {
			return fmt.Errorf("page %d cell %d: %w", n, i, err)
		}
	}
	if kind == sqliteInnerTbl {
		return db.walk(int(binary.BigEndian.Uint32(p[h+8:])), depth+1, row)
	}
	return nil
}

func (db *sqliteDB) cell(kind byte, c []byte, depth int, row func(int64, []byte)) error {
	if kind == sqliteInnerTbl {
		if len(c) < 4 {
			return errors.New("short interior cell")
		}
		return db.walk(int(binary.BigEndian.Uint32(c)), depth+1, row)
	}
	size, n := varint(c)
	if n == 0 {
		return errors.New("bad payload size")
	}
	rowid, m := varint(c[n:])
	if m == 0 {
		return errors.New("bad rowid")
	}
	if db.budget -= int64(min(size, maxDataSize)); db.budget < 0 {
		return errors.New("cells overlap: more payload than the file holds")
	}
	payload, err := db.payload(c[n+m:], size)
	if err != nil {
		return err
	}
	row(int64(rowid), payload)
	return nil
}

// payload returns a leaf cell's payload of the given size: the part stored
// in the cell, then the overflow pages it points to.
func (db *sqliteDB) payload(c []byte, size uint64) ([]byte, error) {
	// Overflow pages hold at most the whole file: a larger size is a lie,
	// and allocating it would let a tiny file claim gigabytes.
	if size > maxDataSize || size > uint64(len(db.data)) {
		return nil, fmt.Errorf("payload of %d bytes in a %d-byte file", size, len(db.data))
	}
	u := uint64(db.usable)
	local, x := size, u-35
	if size > x {
		m := (u-12)*32/255 - 23
		local = m + (size-m)%(u-4)
		if local > x {
			local = m
		}
	}
	if uint64(len(c)) < local || (local < size && uint64(len(c)) < local+4) {
		return nil, errors.New("cell runs past the page")
	}
	if local == size {
		return c[:size], nil
	}
	out := append(make([]byte, 0, size), c[:local]...)
	next := int(binary.BigEndian.Uint32(c[local:]))
	for hops := 0; uint64(len(out)) < size; hops++ {
		if hops > db.pages {
			return nil, errors.New("overflow chain loops")
		}
		p, _, err := db.page(next)
		if err != nil {
			return nil, fmt.Errorf("overflow: %w", err)
		}
		if db.overflowUsed[next] {
			return nil, fmt.Errorf("overflow page %d belongs to another cell", next)
		}
		db.overflowUsed[next] = true
		n := min(size-uint64(len(out)), u-4)
		out = append(out, p[4:4+n]...)
		next = int(binary.BigEndian.Uint32(p))
	}
	return out, nil
}

// record decodes an SQLite record into its columns' bytes: nil for NULL,
// the big-endian integer bytes, or the text/blob content. Constant
// integers 0 and 1 are returned as one byte.
func record(p []byte) ([][]byte, error) {
	hlen, n := varint(p)
	if n == 0 || hlen > uint64(len(p)) || hlen < uint64(n) {
		return nil, errors.New("bad record header")
	}
	types, body := p[n:hlen], p[hlen:]
	var cols [][]byte
	for len(types) > 0 {
		t, k := varint(types)
		if k == 0 {
			return nil, errors.New("bad serial type")
		}
		types = types[k:]
		size, col := serialSize(t)
		if size > uint64(len(body)) {
			return nil, errors.New("record body too short")
		}
		switch {
		case t == 0:
			col = nil
		case col == nil:
			col = body[:size]
		}
		cols = append(cols, col)
		body = body[size:]
	}
	return cols, nil
}

// serialSize gives the body size of a serial type, and the value itself
// for the constants 0 and 1.
func serialSize(t uint64) (uint64, []byte) {
	switch {
	case t <= 4:
		return t, nil
	case t == 5:
		return 6, nil
	case t == 6, t == 7:
		return 8, nil
	case t == 8:
		return 0, []byte{0}
	case t == 9:
		return 0, []byte{1}
	case t >= 12:
		return (t - 12) / 2, nil
	}
	return 0, nil // 10 and 11 are reserved
}

// recordInt reads an integer column (big-endian two's complement).
func recordInt(b []byte) int64 {
	if len(b) == 0 || len(b) > 8 {
		return 0
	}
	v := int64(int8(b[0]))
	for _, c := range b[1:] {
		v = v<<8 | int64(c)
	}
	return v
}

// varint reads SQLite's big-endian variable-length integer: up to nine
// bytes, seven bits from each of the first eight, eight from the ninth.
func varint(b []byte) (uint64, int) {
	var v uint64
	for i := 0; i < 9 && i < len(b); i++ {
		if i == 8 {
			return v<<8 | uint64(b[i]), 9
		}
		v = v<<7 | uint64(b[i]&0x7f)
		if b[i] < 0x80 {
			return v, i + 1
		}
	}
	return 0, 0
}
