package image

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
)

// blobStore is where an OCI layout keeps index.json and its blobs: a
// directory, or a tar of one read in place.
type blobStore interface {
	indexJSON() ([]byte, error)
	readJSON(h v1.Hash) ([]byte, error) // small blobs: manifests, configs
	openBlob(h v1.Hash) (io.ReadCloser, error)
}

// tarBlobs reads an OCI layout inside an uncompressed tar.
type tarBlobs struct{ ti *tarIndex }

func blobName(h v1.Hash) string { return "blobs/" + h.Algorithm + "/" + h.Hex }

func (t tarBlobs) indexJSON() ([]byte, error) { return t.ti.readJSON("index.json") }

func (t tarBlobs) readJSON(h v1.Hash) ([]byte, error) { return t.ti.readJSON(blobName(h)) }

func (t tarBlobs) openBlob(h v1.Hash) (io.ReadCloser, error) {
	r, err := t.ti.open(blobName(h))
	if err != nil {
		return nil, err
	}
	return io.NopCloser(r), nil
}

// dirBlobs reads an OCI layout directory through go-containerregistry's
// layout.Path.
type dirBlobs struct{ p layout.Path }

func (d dirBlobs) indexJSON() ([]byte, error) {
	return readBounded(filepath.Join(string(d.p), "index.json"))
}

func (d dirBlobs) readJSON(h v1.Hash) ([]byte, error) {
	return readBounded(filepath.Join(string(d.p), "blobs", h.Algorithm, h.Hex))
}

func (d dirBlobs) openBlob(h v1.Hash) (io.ReadCloser, error) { return d.p.Blob(h) }

// readBounded reads a small file, refusing one over maxJSONSize.
func readBounded(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxJSONSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxJSONSize {
		return nil, fmt.Errorf("%s: more than %d bytes", p, maxJSONSize)
	}
	return b, nil
}
