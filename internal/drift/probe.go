package drift

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"path"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

// Probe is what the inventory leaves out and telling two builds apart
// needs: each path's modification time, and the content of a few small
// files (to see whether they differ only in a date, or hold a key).
type Probe struct {
	MTimes  map[string]int64  // path → Unix nanoseconds
	Samples map[string][]byte // path → content, for the paths asked for
}

// Bounds of a probe: it reads untrusted images, and holds what it keeps
// in memory.
const (
	MaxSample      = 64 << 10 // bytes of one file
	maxSampleTotal = 8 << 20  // bytes of all samples of one image
	maxProbePaths  = 2_000_000
)

// ReadProbe reads img's squashed file system once, as a tar stream that is
// never written to disk: every path's time, and the content of the regular
// files of at most MaxSample bytes that want names. Paths are absolute and
// cleaned, as in inventories.
func ReadProbe(ctx context.Context, img v1.Image, want func(path string) bool) (*Probe, error) {
	rc := mutate.Extract(img)
	defer rc.Close()
	p := &Probe{MTimes: map[string]int64{}, Samples: map[string][]byte{}}
	tr := tar.NewReader(rc)
	total := 0
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return p, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read the image's files: %w", err)
		}
		name := path.Clean("/" + h.Name)
		if len(p.MTimes) == maxProbePaths {
			return nil, fmt.Errorf("read the image's files: more than %d paths", maxProbePaths)
		}
		p.MTimes[name] = h.ModTime.UnixNano()
		if h.Typeflag != tar.TypeReg || h.Size > MaxSample || total+int(h.Size) > maxSampleTotal || want == nil || !want(name) {
			continue
		}
		b, err := io.ReadAll(io.LimitReader(tr, MaxSample+1))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		if len(b) > MaxSample {
			continue // the header lied about the size
		}
		p.Samples[name] = b
		total += len(b)
	}
}
