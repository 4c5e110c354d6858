package osv

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ossf/osv-schema/bindings/go/osvschema"
	"google.golang.org/protobuf/encoding/protojson"
)

// MaxRecordSize bounds one OSV record. The largest real records (Linux
// kernel and Debian conversions with long versions lists) stay well below
// it; anything larger is refused rather than buffered.
const MaxRecordSize = 16 << 20

// ErrTooLarge is wrapped when a record or response exceeds its bound.
var ErrTooLarge = errors.New("larger than allowed")

// Query names a package version as OSV keys it.
type Query struct {
	Ecosystem string // with its release suffix: "Debian:12", "Alpine:v3.20", "PyPI"
	Name      string
	Version   string
}

func (q Query) String() string { return q.Ecosystem + "/" + q.Name + "@" + q.Version }

// Base is the ecosystem without its suffix ("Debian" for "Debian:12"),
// the name of its directory in OSV's exports.
func (q Query) Base() string { return BaseEcosystem(q.Ecosystem) }

// BaseEcosystem cuts an ecosystem string at its first colon.
func BaseEcosystem(ecosystem string) string {
	base, _, _ := strings.Cut(ecosystem, ":")
	return base
}

// Link is the osv.dev page of a record.
func Link(id string) string { return "https://osv.dev/vulnerability/" + id }

var unmarshal = protojson.UnmarshalOptions{DiscardUnknown: true}

// Decode parses one OSV record (JSON, as the API serves it or the exports
// store it). Fields the schema bindings do not know are ignored, so a
// newer schema still reads. A record without an id is refused.
func Decode(data []byte) (*osvschema.Vulnerability, error) {
	if len(data) > MaxRecordSize {
		return nil, fmt.Errorf("OSV record: %d bytes: %w", len(data), ErrTooLarge)
	}
	v := &osvschema.Vulnerability{}
	if err := unmarshal.Unmarshal(data, v); err != nil {
		return nil, fmt.Errorf("decode OSV record: %w", err)
	}
	if v.GetId() == "" {
		return nil, errors.New("decode OSV record: no id")
	}
	return v, nil
}

// ReadAll reads r to its end, failing with ErrTooLarge past limit bytes
// instead of buffering an unbounded stream.
func ReadAll(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("more than %d bytes: %w", limit, ErrTooLarge)
	}
	return b, nil
}

// Found answers one query: the records that may affect the package, or
// why this query alone could not be answered (a listed record that could
// not be fetched, say). Sources may return more records than affect the
// version; the engine decides with the package's own version ordering.
type Found struct {
	Records []*osvschema.Vulnerability
	// Claimed is set when the source asserts that each record affects
	// the queried version (the API does; a database returns every record
	// of the name), so that a disagreement can be reported.
	Claimed bool
	Err     error
}
