package diff

import "github.com/imagedrift/imagedrift/internal/inventory"

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
	// Source is how a change was found: "annotations" when both sides
	// name their base by digest (or by different names), "layers" when
	// the bottom layer differs.
	Source string
}

// Base-image evidence.
const (
	BaseFromAnnotations = "annotations"
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

func compareBase(base, head *inventory.Inventory, shared int) BaseImage {
	bi := BaseImage{Before: baseRef(base), After: baseRef(head)}
	switch {
	case bi.Before.Digest != "" && bi.After.Digest != "":
		bi.Source = BaseFromAnnotations
		bi.Changed = bi.Before != bi.After
	case bi.Before.Name != "" && bi.After.Name != "" && bi.Before.Name != bi.After.Name:
		bi.Source = BaseFromAnnotations
		bi.Changed = true
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
