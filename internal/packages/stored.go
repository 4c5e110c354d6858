package packages

import (
	"encoding/binary"
	"errors"
	"fmt"
	"reflect"
	"sync"
)

// What an Extractor returns is kept on disk by the layer cache, so that
// a layer read once is not read again. Every type a Result returns is
// registered here with its encoding, under a name that is part of the
// stored form: a type whose encoding changes must change its name (a
// "/2" suffix), so that entries written before read as a miss.
//
// A value of a type that is not registered cannot be stored; the layer
// holding it is then read every time, never stored in part.

// captureCodec encodes one registered type.
type captureCodec struct {
	name string
	enc  func(w *CaptureWriter, v any) bool
	dec  func(r *CaptureReader) any
}

var captureCodecs = struct {
	sync.RWMutex
	byType map[reflect.Type]*captureCodec
	byName map[string]*captureCodec
}{byType: map[reflect.Type]*captureCodec{}, byName: map[string]*captureCodec{}}

// RegisterCapture registers how values of type T, as an Extractor's
// Result returns them, are stored. enc reports false for a value it
// cannot store (a nil pointer); dec reads what enc wrote, reporting
// malformed input through the reader's error, as stored entries are
// read back from disk and must not be trusted further than their
// checksum. Packages register their types in init.
func RegisterCapture[T any](name string, enc func(w *CaptureWriter, v T) bool, dec func(r *CaptureReader) T) {
	t := reflect.TypeFor[T]()
	c := &captureCodec{
		name: name,
		enc:  func(w *CaptureWriter, v any) bool { return enc(w, v.(T)) },
		dec:  func(r *CaptureReader) any { return dec(r) },
	}
	captureCodecs.Lock()
	defer captureCodecs.Unlock()
	if _, dup := captureCodecs.byName[name]; dup {
		panic("packages: capture type name registered twice: " + name)
	}
	if _, dup := captureCodecs.byType[t]; dup {
		panic("packages: capture type registered twice: " + t.String())
	}
	captureCodecs.byType[t], captureCodecs.byName[name] = c, c
}

// EncodeCapture appends v to w under its registered name; false when v's
// type is not registered or its codec cannot store the value. A nil v is
// stored as such.
func EncodeCapture(w *CaptureWriter, v any) bool {
	if v == nil {
		w.String("")
		return true
	}
	captureCodecs.RLock()
	c := captureCodecs.byType[reflect.TypeOf(v)]
	captureCodecs.RUnlock()
	if c == nil {
		return false
	}
	w.String(c.name)
	return c.enc(w, v)
}

// DecodeCapture reads a value EncodeCapture wrote.
func DecodeCapture(r *CaptureReader) (any, error) {
	name := r.String()
	if r.Err() != nil || name == "" {
		return nil, r.Err()
	}
	captureCodecs.RLock()
	c := captureCodecs.byName[name]
	captureCodecs.RUnlock()
	if c == nil {
		return nil, fmt.Errorf("stored capture of unknown type %q", name)
	}
	v := c.dec(r)
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("stored capture %s: %w", name, err)
	}
	return v, nil
}

// CaptureTypes lists the registered names, for a test that each
// cataloger's results round-trip and for the cache's format key.
func CaptureTypes() []string {
	captureCodecs.RLock()
	defer captureCodecs.RUnlock()
	names := make([]string, 0, len(captureCodecs.byName))
	for n := range captureCodecs.byName {
		names = append(names, n)
	}
	return names
}

// CaptureWriter appends a compact binary form: unsigned varints, and
// byte strings as a length and the bytes.
type CaptureWriter struct{ buf []byte }

// Bytes returns what was written.
func (w *CaptureWriter) Bytes() []byte { return w.buf }

// Len is how many bytes were written.
func (w *CaptureWriter) Len() int { return len(w.buf) }

// Reset empties the writer, keeping its buffer.
func (w *CaptureWriter) Reset() { w.buf = w.buf[:0] }

// Uint writes an unsigned varint.
func (w *CaptureWriter) Uint(v uint64) { w.buf = binary.AppendUvarint(w.buf, v) }

// Int writes a signed varint.
func (w *CaptureWriter) Int(v int64) { w.buf = binary.AppendVarint(w.buf, v) }

// Raw writes b as it is: for fixed-size values, which the reader reads
// by their size.
func (w *CaptureWriter) Raw(b []byte) { w.buf = append(w.buf, b...) }

// String writes s's length and bytes.
func (w *CaptureWriter) String(s string) {
	w.Uint(uint64(len(s)))
	w.buf = append(w.buf, s...)
}

// Blob writes b's length and bytes.
func (w *CaptureWriter) Blob(b []byte) {
	w.Uint(uint64(len(b)))
	w.buf = append(w.buf, b...)
}

// Bool writes one byte, 0 or 1.
func (w *CaptureWriter) Bool(b bool) {
	if b {
		w.buf = append(w.buf, 1)
	} else {
		w.buf = append(w.buf, 0)
	}
}

// errShort is what every malformed read reports.
var errShort = errors.New("malformed stored data")

// CaptureReader reads what a CaptureWriter wrote. The first malformed
// read sets Err, and every read after it returns zero values, so
// decoders check once at the end.
type CaptureReader struct {
	data []byte
	err  error
}

// NewCaptureReader reads data.
func NewCaptureReader(data []byte) *CaptureReader { return &CaptureReader{data: data} }

// Err is the first problem met.
func (r *CaptureReader) Err() error { return r.err }

// Len is how many bytes are left.
func (r *CaptureReader) Len() int { return len(r.data) }

// Fail records a problem a decoder found in what it read.
func (r *CaptureReader) Fail(err error) {
	if r.err == nil {
		r.err = err
	}
	r.data = nil
}

// Uint reads an unsigned varint.
func (r *CaptureReader) Uint() uint64 {
	v, n := binary.Uvarint(r.data)
	if n <= 0 {
		r.Fail(errShort)
		return 0
	}
	r.data = r.data[n:]
	return v
}

// Int reads a signed varint.
func (r *CaptureReader) Int() int64 {
	v, n := binary.Varint(r.data)
	if n <= 0 {
		r.Fail(errShort)
		return 0
	}
	r.data = r.data[n:]
	return v
}

// Count reads a number of items that the rest of the data must be able
// to hold at least each bytes of: a bound on what a decoder allocates,
// whatever the stored number says.
func (r *CaptureReader) Count(each int) int {
	n := r.Uint()
	if each < 1 {
		each = 1
	}
	if n > uint64(len(r.data)/each) {
		r.Fail(errShort)
		return 0
	}
	return int(n)
}

// Raw returns the next n bytes (shared with the input).
func (r *CaptureReader) Raw(n int) []byte {
	if n < 0 || n > len(r.data) {
		r.Fail(errShort)
		return nil
	}
	b := r.data[:n:n]
	r.data = r.data[n:]
	return b
}

// String reads what String wrote.
func (r *CaptureReader) String() string { return string(r.Raw(r.Count(1))) }

// Blob reads a byte string; the result is a copy, nil when empty.
func (r *CaptureReader) Blob() []byte {
	b := r.Raw(r.Count(1))
	if len(b) == 0 {
		return nil
	}
	return append([]byte(nil), b...)
}

// Bool reads what Bool wrote; any byte but 0 or 1 is malformed.
func (r *CaptureReader) Bool() bool {
	b := r.Raw(1)
	if len(b) == 0 {
		return false
	}
	switch b[0] {
	case 0:
		return false
	case 1:
		return true
	}
	r.Fail(errShort)
	return false
}

func init() {
	RegisterCapture("captured", func(w *CaptureWriter, c *Captured) bool {
		if c == nil {
			return false
		}
		w.Blob(c.Data)
		w.Int(c.Size)
		w.Bool(c.Truncated)
		return true
	}, func(r *CaptureReader) *Captured {
		return &Captured{Data: r.Blob(), Size: r.Int(), Truncated: r.Bool()}
	})
}
