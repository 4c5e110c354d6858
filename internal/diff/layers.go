package diff

import (
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/origin"
)

// LayerChanges compares the layer stacks.
type LayerChanges struct {
	Before, After []inventory.Layer
	// Shared is how many bottom layers are identical (same diffID, or same
	// blob digest when a diffID is missing): what the head reuses as is.
	Shared int
}

// OCI annotations (and labels) naming the base image.
const (
	AnnotationBaseName   = "org.opencontainers.image.base.name"
	AnnotationBaseDigest = "org.opencontainers.image.base.digest"
)

// BaseRef names a base image as its annotations do.
type BaseRef struct {
	Name, Digest string
}

// BaseImage says whether the image was rebuilt on another base.
type BaseImage struct {
	Before, After BaseRef
	Changed       bool
	// Source is how a change was found: "annotations" or "dockerfile"
	// when both sides name their base by digest (or by different names),
	// "layers" when the base image's layers differ.
	Source string
}

// Base-image evidence.
const (
	BaseFromAnnotations = "annotations"
	BaseFromDockerfile  = "dockerfile" // the FROM lines
	BaseFromLayers      = "layers"
)

func compareLayers(a, b []inventory.Layer) LayerChanges {
	lc := LayerChanges{Before: a, After: b}
	for lc.Shared < len(a) && lc.Shared < len(b) && sameLayer(&a[lc.Shared], &b[lc.Shared]) {
		lc.Shared++
	}
	return lc
}

func sameLayer(a, b *inventory.Layer) bool {
	if a.DiffID != "" && b.DiffID != "" {
		return a.DiffID == b.DiffID
	}
	return a.Digest != "" && a.Digest == b.Digest
}

func compareBase(base, head *inventory.Inventory, shared int, o [2]origin.Side) BaseImage {
	bi := BaseImage{Before: BaseRef{o[0].BaseName, o[0].BaseDigest}, After: BaseRef{o[1].BaseName, o[1].BaseDigest}}
	source := BaseFromAnnotations
	if baseRef(base) != bi.Before || baseRef(head) != bi.After {
		source = BaseFromDockerfile
	}
	switch {
	case o[0].NoBase && o[1].NoBase:
		// FROM scratch, or single layers naming no base: no base to change.
	case bi.Before.Digest != "" && bi.After.Digest != "":
		bi.Source = source
		bi.Changed = bi.Before != bi.After
	case bi.Before.Name != "" && bi.After.Name != "" && bi.Before.Name != bi.After.Name:
		bi.Source = source
		bi.Changed = true
	case o[0].DecidedBy == origin.ByDockerfile && o[1].DecidedBy == origin.ByDockerfile:
		n := o[0].BaseLayers()
		bi.Source = BaseFromLayers
		bi.Changed = n != o[1].BaseLayers() || shared < n
	case o[0].NoBase || o[1].NoBase:
		// One side has no base and the other names none: nothing to compare.
	case len(base.Layers) > 0 && len(head.Layers) > 0 && shared == 0:
		// The base is always at the bottom: a different bottom layer means
		// a different base (or a rebuilt, squashed one).
		bi.Source = BaseFromLayers
		bi.Changed = true
	}
	return bi
}

// baseRef reads the base annotations from the manifest, else from labels.
func baseRef(inv *inventory.Inventory) BaseRef {
	get := func(k string) string {
		if v := inv.Annotations[k]; v != "" {
			return v
		}
		return inv.Config.Labels[k]
	}
	return BaseRef{Name: get(AnnotationBaseName), Digest: get(AnnotationBaseDigest)}
}
