package rpm

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Berkeley DB hash databases ("Packages" of rpm up to 4.15, RHEL/CentOS
// up to 8, Amazon Linux 2): a metadata page, then pages of key/value
// items; rpm's values (the headers) are usually larger than a page and
// live in chains of overflow pages. Only what reading every value needs is
// implemented, from the layout Berkeley DB's db_page.h describes.
const (
	bdbHashMagic = 0x061561

	bdbPageHashUnsorted = 2
	bdbPageOverflow     = 7
	bdbPageHashMeta     = 8
	bdbPageHash         = 13

	bdbItemKeyData = 1
	bdbItemOffPage = 3

	bdbPageHeader    = 26 // lsn, pgno, prev, next, entries, hf_offset, level, type
	bdbChecksumBytes = 20 // extra page header when the database is checksummed
	bdbMetaChecksum  = 0x01
)

// bdbMagic reports whether data starts with a Berkeley DB hash metadata
// page, and its byte order.
func bdbMagic(data []byte) (binary.ByteOrder, bool) {
	if len(data) < 512 {
		return nil, false
	}
	for _, bo := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		if bo.Uint32(data[12:]) == bdbHashMagic {
			return bo, true
		}
	}
	return nil, false
}

type bdb struct {
	data     []byte
	bo       binary.ByteOrder
	pageSize int
	overhead int // page header size
	pages    int
	// overflowUsed marks overflow pages already read: each belongs to one
	// value, and a crafted file pointing many values at one long chain
	// would otherwise cost time quadratic in its size.
	overflowUsed []bool
}

// bdbBlobs returns every value of a Berkeley DB hash database that looks
// like an rpm header (rpm keeps a 4-byte counter under key 0 too), and a
// message per item it could not read.
func bdbBlobs(data []byte) ([][]byte, []string, error) {
	bo, ok := bdbMagic(data)
	if !ok {
		return nil, nil, errors.New("not a Berkeley DB hash database")
	}
	if enc := data[24]; enc != 0 {
		return nil, nil, fmt.Errorf("encrypted Berkeley DB (algorithm %d) not supported", enc)
	}
	db := &bdb{data: data, bo: bo, pageSize: int(bo.Uint32(data[20:])), overhead: bdbPageHeader}
	if data[25] != bdbPageHashMeta {
		return nil, nil, fmt.Errorf("Berkeley DB metadata page of type %d, not hash", data[25])
	}
	if db.pageSize < 512 || db.pageSize > 64<<10 || db.pageSize&(db.pageSize-1) != 0 {
		return nil, nil, fmt.Errorf("Berkeley DB page size %d", db.pageSize)
	}
	if data[26]&bdbMetaChecksum != 0 {
		db.overhead += bdbChecksumBytes
	}
	db.pages = len(data) / db.pageSize
	if last := int(bo.Uint32(data[32:])); last+1 < db.pages {
		db.pages = last + 1
	}
	db.overflowUsed = make([]bool, db.pages)
	var blobs [][]byte
	var problems []string
	for pg := 1; pg < db.pages; pg++ {
		page := db.page(pg)
		if t := page[25]; t != bdbPageHash && t != bdbPageHashUnsorted {
			continue
		}
		b, p := db.hashPage(pg, page)
		blobs = append(blobs, b...)
		problems = append(problems, p...)
	}
	return blobs, problems, nil
}

func (db *bdb) page(n int) []byte {
	return db.data[n*db.pageSize : (n+1)*db.pageSize]
}

// hashPage returns the values of one hash page; items come in key/value
// pairs, each addressed by a 16-bit offset in the index after the header.
func (db *bdb) hashPage(pg int, page []byte) ([][]byte, []string) {
	entries := int(db.bo.Uint16(page[20:]))
	if db.overhead+2*entries > db.pageSize {
		return nil, []string{fmt.Sprintf("page %d: %d entries do not fit", pg, entries)}
	}
	var blobs [][]byte
	var problems []string
	for i := 1; i < entries; i += 2 {
		key, err := db.item(page, i-1)
		if err != nil {
			problems = append(problems, fmt.Sprintf("page %d: key %d: %v", pg, i/2, err))
			continue
		}
		if key[0] == bdbItemKeyData && isZero(key[1:]) {
			continue // rpm's instance counter
		}
		val, err := db.item(page, i)
		if err == nil {
			val, err = db.value(val)
		}
		if err != nil {
			problems = append(problems, fmt.Sprintf("page %d: value %d: %v", pg, i/2, err))
			continue
		}
		blobs = append(blobs, val)
	}
	return blobs, problems
}

// item returns the bytes of the i-th item: items are packed from the end
// of the page, so an item ends where the previous one starts.
func (db *bdb) item(page []byte, i int) ([]byte, error) {
	idx := page[db.overhead:]
	start := int(db.bo.Uint16(idx[2*i:]))
	end := db.pageSize
	if i > 0 {
		end = int(db.bo.Uint16(idx[2*(i-1):]))
	}
	if start < db.overhead || start >= end || end > db.pageSize {
		return nil, fmt.Errorf("item at %d..%d outside the page", start, end)
	}
	return page[start:end], nil
}

// value resolves an item to its data: inline, or a chain of overflow pages.
func (db *bdb) value(it []byte) ([]byte, error) {
	switch it[0] {
	case bdbItemKeyData:
		return it[1:], nil
	case bdbItemOffPage:
		if len(it) < 12 {
			return nil, errors.New("short off-page item")
		}
		return db.overflow(int(db.bo.Uint32(it[4:])), int(db.bo.Uint32(it[8:])))
	}
	return nil, fmt.Errorf("item type %d not supported", it[0])
}

// overflow gathers total bytes from the overflow chain starting at pg.
func (db *bdb) overflow(pg, total int) ([]byte, error) {
	if total <= 0 || total > maxDataSize {
		return nil, fmt.Errorf("overflow length %d", total)
	}
	out := make([]byte, 0, min(total, len(db.data)))
	for hops := 0; len(out) < total; hops++ {
		if pg <= 0 || pg >= db.pages || hops >= db.pages {
			return nil, fmt.Errorf("overflow chain broken at page %d after %d of %d bytes", pg, len(out), total)
		}
		if db.overflowUsed[pg] {
			return nil, fmt.Errorf("overflow page %d belongs to another value", pg)
		}
		db.overflowUsed[pg] = true
		page := db.page(pg)
		if page[25] != bdbPageOverflow {
			return nil, fmt.Errorf("page %d in an overflow chain has type %d", pg, page[25])
		}
		n := int(db.bo.Uint16(page[22:])) // bytes used on this page
		if db.overhead+n > db.pageSize || n > total-len(out) {
			return nil, fmt.Errorf("overflow page %d claims %d bytes", pg, n)
		}
		out = append(out, page[db.overhead:db.overhead+n]...)
		pg = int(db.bo.Uint32(page[16:]))
	}
	return out, nil
}

func isZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
