package image

import (
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/partial"
)

// layeredImage serves Layers and LayerByDiffID straight from a docker
// save image's layer list: going through the manifest, as partial does,
// would hash every compressed layer before a single one is read.
type layeredImage struct {
	v1.Image
	core *archiveImage
}

func (li *layeredImage) Layers() ([]v1.Layer, error) {
	out := make([]v1.Layer, 0, len(li.core.layers))
	for _, l := range li.core.layers {
		ll, err := partial.CompressedToLayer(l)
		if err != nil {
			return nil, err
		}
		out = append(out, ll)
	}
	return out, nil
}

func (li *layeredImage) LayerByDiffID(h v1.Hash) (v1.Layer, error) {
	for _, l := range li.core.layers {
		if l.diffID == h {
			return partial.CompressedToLayer(l)
		}
	}
	return nil, fmt.Errorf("diff_id %s not in image", h)
}
