package osv_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/vulns/osv"
	"github.com/imagedrift/imagedrift/internal/vulns/osvtest"
	"google.golang.org/protobuf/proto"
)

// TestDecodeRecords decodes every stored record: GCS exports, API bodies
// and advisory-database copies, with and without schema_version, with
// zeroed Go timestamps.
func TestDecodeRecords(t *testing.T) {
	for _, f := range osvtest.Records(t) {
		v, err := osv.Decode(f.Data)
		if err != nil {
			t.Errorf("%s/%s: %v", f.Ecosystem, f.ID, err)
			continue
		}
		if v.GetId() != f.ID {
			t.Errorf("%s/%s: id %q", f.Ecosystem, f.ID, v.GetId())
		}
	}
}

// TestDecodeAPIBodyEqualsExport: the GET body of 2025 (protobuf field
// order, empty lists omitted) and the 2026 export of GHSA-whgm-jr23-g3j9
// decode to the same affected ranges.
func TestDecodeAPIBodyEqualsExport(t *testing.T) {
	exs := osvtest.LoadExchanges(t, "querybatch-then-get.GHSA-whgm-jr23-g3j9.2025-08-24.json")
	api, err := osv.Decode(exs[1].Response.Body)
	if err != nil {
		t.Fatal(err)
	}
	export, err := osv.Decode(osvtest.Read(t, "records/npm/GHSA-whgm-jr23-g3j9.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(api.GetAffected()[0].GetRanges()[0], export.GetAffected()[0].GetRanges()[0]) || api.GetId() != export.GetId() {
		t.Errorf("API body and export differ:\n%v\n%v", api.GetAffected(), export.GetAffected())
	}
}

func TestDecodeRefuses(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"no id", []byte(`{"summary":"x"}`), "no id"},
		{"not JSON", []byte(`<html>`), "decode OSV record"},
		{"wrong type", []byte(`{"id":"X","affected":"all"}`), "decode OSV record"},
		{"too large", []byte(`{"id":"X","details":"` + strings.Repeat("a", osv.MaxRecordSize) + `"}`), "larger than allowed"},
	}
	for _, tt := range tests {
		if _, err := osv.Decode(tt.data); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
}

// TestDecodeUnknownFields: a field a later schema adds is ignored.
func TestDecodeUnknownFields(t *testing.T) {
	var m map[string]any
	if err := json.Unmarshal(osvtest.Read(t, "records/PyPI/GHSA-mq26-g339-26xf.json"), &m); err != nil {
		t.Fatal(err)
	}
	m["future_field"] = map[string]any{"x": 1}
	b, _ := json.Marshal(m)
	if v, err := osv.Decode(b); err != nil || v.GetId() != "GHSA-mq26-g339-26xf" {
		t.Fatalf("Decode = %v, %v", v.GetId(), err)
	}
}

func TestReadAll(t *testing.T) {
	if b, err := osv.ReadAll(strings.NewReader("abcd"), 4); err != nil || string(b) != "abcd" {
		t.Errorf("ReadAll at the limit = %q, %v", b, err)
	}
	if _, err := osv.ReadAll(strings.NewReader("abcde"), 4); !errors.Is(err, osv.ErrTooLarge) {
		t.Errorf("ReadAll past the limit: err = %v", err)
	}
}
