package synthimage

import (
	"archive/tar"
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"sync"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// LayerFunc writes the entries of one layer. It must write the same
// entries every time it is called: the stream is produced once to compute
// the digest and again for every reader.
type LayerFunc func(tw *tar.Writer) error

// layer is a v1.Layer stored uncompressed, so its digest and diffID are
// one: the inventory reads an uncompressed blob as it is, and a benchmark
// measures the squash rather than an inflater.
type layer struct {
	gen LayerFunc

	once   sync.Once
	digest v1.Hash
	size   int64
	err    error
}

// Layer returns a layer whose tar stream gen writes on demand.
func Layer(gen LayerFunc) v1.Layer { return &layer{gen: gen} }

// stat streams the layer once through SHA-256: the manifest and config
// need its digest and size before anyone reads it.
func (l *layer) stat() error {
	l.once.Do(func() {
		rc, _ := l.Uncompressed()
		defer rc.Close()
		h := sha256.New()
		l.size, l.err = io.Copy(h, rc)
		l.digest = v1.Hash{Algorithm: "sha256", Hex: hex.EncodeToString(h.Sum(nil))}
	})
	return l.err
}

func (l *layer) Digest() (v1.Hash, error) { return l.digest, l.stat() }
func (l *layer) DiffID() (v1.Hash, error) { return l.digest, l.stat() }
func (l *layer) Size() (int64, error)     { return l.size, l.stat() }

func (l *layer) MediaType() (types.MediaType, error) { return types.OCIUncompressedLayer, nil }

func (l *layer) Compressed() (io.ReadCloser, error) { return l.Uncompressed() }

// Uncompressed writes the stream on a goroutine into a pipe. A reader
// that closes early makes the writer's next write fail, which ends it.
func (l *layer) Uncompressed() (io.ReadCloser, error) {
	pr, pw := io.Pipe()
	go func() {
		bw := bufio.NewWriterSize(pw, 256<<10)
		tw := tar.NewWriter(bw)
		err := l.gen(tw)
		if err == nil {
			err = tw.Close()
		}
		if err == nil {
			err = bw.Flush()
		}
		pw.CloseWithError(err)
	}()
	return pr, nil
}

// Image stacks layers, bottom first, into a linux/amd64 OCI image.
func Image(layers ...v1.Layer) (v1.Image, error) {
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", "amd64"
	if img, err = mutate.ConfigFile(img, cf); err != nil {
		return nil, err
	}
	adds := make([]mutate.Addendum, len(layers))
	for i, l := range layers {
		adds[i] = mutate.Addendum{Layer: l, MediaType: types.OCIUncompressedLayer,
			History: v1.History{CreatedBy: "synthimage layer"}}
	}
	return mutate.Append(img, adds...)
}
