package image

import (
	"bytes"
	"fmt"
	"io"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// maxIndexDepth bounds index → index → … chains in untrusted layouts.
const maxIndexDepth = 4

// openOCI resolves sel and the platform in an OCI layout and returns the
// chosen image with the annotations met on the way (index entries, then
// the manifest's own, later ones winning).
func openOCI(ref string, store blobStore, sel string, want v1.Platform) (v1.Image, map[string]string, error) {
	raw, err := store.indexJSON()
	if err != nil {
		return nil, nil, fail(ref, ErrNotImage, "no readable index.json: "+err.Error(), err)
	}
	root, err := v1.ParseIndexManifest(bytes.NewReader(raw))
	if err != nil {
		return nil, nil, fail(ref, ErrNotImage, "index.json is not an OCI index: "+err.Error(), err)
	}
	d, err := pickEntry(ref, root, sel, want)
	if err != nil {
		return nil, nil, err
	}
	ann := mergeAnnotations(nil, d.Annotations)
	for depth := 0; d.MediaType.IsIndex(); depth++ {
		if depth == maxIndexDepth {
			return nil, nil, fail(ref, ErrNotImage, "indexes nested too deep", nil)
		}
		raw, err := readVerified(store, d)
		if err != nil {
			return nil, nil, fail(ref, ErrNotImage, "index "+d.Digest.String()+": "+err.Error(), err)
		}
		im, err := v1.ParseIndexManifest(bytes.NewReader(raw))
		if err != nil {
			return nil, nil, fail(ref, ErrNotImage, "index "+d.Digest.String()+": "+err.Error(), err)
		}
		ann = mergeAnnotations(ann, im.Annotations)
		if d, err = pickPlatform(ref, im, want); err != nil {
			return nil, nil, err
		}
		ann = mergeAnnotations(ann, d.Annotations)
	}
	img, m, err := newOCIImage(store, d)
	if err != nil {
		return nil, nil, fail(ref, ErrNotImage, err.Error(), err)
	}
	return img, mergeAnnotations(ann, m.Annotations), nil
}

// readVerified reads a small blob and checks it against its descriptor,
// which is cheap for manifests and configs and catches a wrong file early.
func readVerified(store blobStore, d v1.Descriptor) ([]byte, error) {
	if d.Digest.Algorithm != "sha256" || len(d.Digest.Hex) != 64 {
		return nil, fmt.Errorf("unsupported digest %q", d.Digest.String())
	}
	b, err := store.readJSON(d.Digest)
	if err != nil {
		return nil, err
	}
	if h, _, _ := v1.SHA256(bytes.NewReader(b)); h != d.Digest {
		return nil, fmt.Errorf("blob %s has digest %s", d.Digest, h)
	}
	return b, nil
}

func mergeAnnotations(dst, src map[string]string) map[string]string {
	if len(src) == 0 {
		return dst
	}
	if dst == nil {
		dst = make(map[string]string, len(src))
	}
	for k, v := range src {
		dst[k] = v
	}
	return dst
}

// ociImage is the partial.CompressedImageCore of one manifest in a layout.
type ociImage struct {
	store   blobStore
	raw     []byte
	m       *v1.Manifest
	rawCfg  []byte
	diffIDs []v1.Hash
}

func newOCIImage(store blobStore, d v1.Descriptor) (v1.Image, *v1.Manifest, error) {
	if !d.MediaType.IsImage() && d.MediaType != "" {
		return nil, nil, fmt.Errorf("entry %s is a %s, not an image manifest", d.Digest, d.MediaType)
	}
	raw, err := readVerified(store, d)
	if err != nil {
		return nil, nil, fmt.Errorf("manifest %s: %w", d.Digest, err)
	}
	m, err := v1.ParseManifest(bytes.NewReader(raw))
	if err != nil {
		return nil, nil, fmt.Errorf("manifest %s: %w", d.Digest, err)
	}
	if mt := m.Config.MediaType; mt != "" && !mt.IsConfig() {
		return nil, nil, fmt.Errorf("manifest %s is an artifact (config media type %s)", d.Digest, mt)
	}
	rawCfg, err := readVerified(store, m.Config)
	if err != nil {
		return nil, nil, fmt.Errorf("config %s: %w", m.Config.Digest, err)
	}
	cfg, err := v1.ParseConfigFile(bytes.NewReader(rawCfg))
	if err != nil {
		return nil, nil, fmt.Errorf("config %s: %w", m.Config.Digest, err)
	}
	if len(cfg.RootFS.DiffIDs) != len(m.Layers) {
		return nil, nil, fmt.Errorf("manifest %s lists %d layers but its config has %d diff_ids",
			d.Digest, len(m.Layers), len(cfg.RootFS.DiffIDs))
	}
	core := &ociImage{store: store, raw: raw, m: m, rawCfg: rawCfg, diffIDs: cfg.RootFS.DiffIDs}
	img, err := partial.CompressedToImage(core)
	return img, m, err
}

func (o *ociImage) RawConfigFile() ([]byte, error) { return o.rawCfg, nil }

func (o *ociImage) RawManifest() ([]byte, error) { return o.raw, nil }

func (o *ociImage) MediaType() (types.MediaType, error) {
	if o.m.MediaType != "" {
		return o.m.MediaType, nil
	}
	return types.OCIManifestSchema1, nil
}

func (o *ociImage) LayerByDigest(h v1.Hash) (partial.CompressedLayer, error) {
	if h == o.m.Config.Digest {
		return &ociBlob{store: o.store, desc: o.m.Config}, nil
	}
	for i, d := range o.m.Layers {
		if d.Digest == h {
			return &ociLayer{ociBlob: ociBlob{store: o.store, desc: d}, diffID: o.diffIDs[i]}, nil
		}
	}
	return nil, fmt.Errorf("blob %s not in manifest", h)
}

// ociBlob is a blob of the layout, described by the manifest.
type ociBlob struct {
	store blobStore
	desc  v1.Descriptor
}

func (b *ociBlob) Digest() (v1.Hash, error)            { return b.desc.Digest, nil }
func (b *ociBlob) Size() (int64, error)                { return b.desc.Size, nil }
func (b *ociBlob) MediaType() (types.MediaType, error) { return b.desc.MediaType, nil }
func (b *ociBlob) Descriptor() (*v1.Descriptor, error) { return &b.desc, nil }
func (b *ociBlob) Compressed() (io.ReadCloser, error)  { return b.store.openBlob(b.desc.Digest) }

// ociLayer answers DiffID from the config instead of decompressing the
// layer, as partial would; the inventory pass checks the claim.
type ociLayer struct {
	ociBlob
	diffID v1.Hash
}

func (l *ociLayer) DiffID() (v1.Hash, error) { return l.diffID, nil }
