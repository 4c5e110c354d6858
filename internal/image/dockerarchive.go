package image

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/google/go-containerregistry/pkg/compression"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// openDockerArchive reads the image chosen by sel ("", "NAME:TAG" or
// "@N") from a docker save archive already indexed in ti.
func openDockerArchive(ref string, ti *tarIndex, sel string) (v1.Image, error) {
	raw, err := ti.readJSON("manifest.json")
	if err != nil {
		return nil, fail(ref, ErrNotImage, "no manifest.json in the archive (found: "+ti.firstNames(6)+")", err)
	}
	var m tarball.Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fail(ref, ErrNotImage, "manifest.json is not a docker save manifest: "+err.Error(), err)
	}
	d, err := pickArchiveImage(ref, m, sel)
	if err != nil {
		return nil, err
	}
	rawCfg, err := ti.readJSON(d.Config)
	if err != nil {
		return nil, fail(ref, ErrNotImage, "config "+d.Config+" named by manifest.json: "+err.Error(), err)
	}
	cfg, err := v1.ParseConfigFile(bytes.NewReader(rawCfg))
	if err != nil {
		return nil, fail(ref, ErrNotImage, "config "+d.Config+" is not an image config: "+err.Error(), err)
	}
	if len(cfg.RootFS.DiffIDs) != len(d.Layers) {
		return nil, fail(ref, ErrNotImage, fmt.Sprintf("manifest.json lists %d layers but the config has %d diff_ids",
			len(d.Layers), len(cfg.RootFS.DiffIDs)), nil)
	}
	img := &archiveImage{rawCfg: rawCfg}
	for i, p := range d.Layers {
		l, err := newArchiveLayer(ti, p, cfg.RootFS.DiffIDs[i], d.LayerSources)
		if err != nil {
			return nil, fail(ref, ErrNotImage, fmt.Sprintf("layer %d (%s): %v", i, p, err), err)
		}
		img.layers = append(img.layers, l)
	}
	full, err := partial.CompressedToImage(img)
	if err != nil {
		return nil, fail(ref, ErrNotImage, err.Error(), err)
	}
	return &layeredImage{Image: full, core: img}, nil
}

// pickArchiveImage chooses one entry of manifest.json.
func pickArchiveImage(ref string, m tarball.Manifest, sel string) (*tarball.Descriptor, error) {
	switch {
	case len(m) == 0:
		return nil, fail(ref, ErrNotImage, "manifest.json lists no image", nil)
	case sel == "" && len(m) == 1:
		return &m[0], nil
	case sel == "":
		return nil, fail(ref, ErrAmbiguous, fmt.Sprintf(
			"the archive holds %d images (%s); choose one with docker-archive:PATH:NAME:TAG or docker-archive:PATH:@N",
			len(m), archiveTags(m)), nil)
	case strings.HasPrefix(sel, "@"):
		n, err := strconv.Atoi(sel[1:])
		if err != nil || n < 0 || n >= len(m) {
			return nil, fail(ref, ErrNotFound, fmt.Sprintf("no image %s: the archive holds %d (%s)", sel, len(m), archiveTags(m)), nil)
		}
		return &m[n], nil
	}
	want, err := name.NewTag(sel)
	if err != nil {
		return nil, fail(ref, ErrBadRef, fmt.Sprintf("%q is neither NAME:TAG nor @N: %v", sel, err), err)
	}
	for i := range m {
		for _, t := range m[i].RepoTags {
			if got, err := name.NewTag(t); err == nil && got.Name() == want.Name() {
				return &m[i], nil
			}
		}
	}
	return nil, fail(ref, ErrNotFound, fmt.Sprintf("tag %s is not in the archive (%s)", sel, archiveTags(m)), nil)
}

// archiveTags lists the images of manifest.json for messages.
func archiveTags(m tarball.Manifest) string {
	var out []string
	for i, d := range m {
		if len(d.RepoTags) == 0 {
			out = append(out, fmt.Sprintf("@%d untagged", i))
			continue
		}
		out = append(out, fmt.Sprintf("@%d %s", i, strings.Join(d.RepoTags, " ")))
	}
	if len(out) > 10 {
		out = append(out[:10], fmt.Sprintf("… %d more", len(out)-10))
	}
	return "tags: " + strings.Join(out, ", ")
}

// archiveImage is the partial.CompressedImageCore of a docker save image.
// Its manifest is built on demand: it needs the digest of every
// compressed layer, which costs a read of that layer.
type archiveImage struct {
	rawCfg []byte
	layers []*archiveLayer

	once sync.Once
	raw  []byte
	err  error
}

func (a *archiveImage) RawConfigFile() ([]byte, error) { return a.rawCfg, nil }

func (a *archiveImage) MediaType() (types.MediaType, error) { return types.DockerManifestSchema2, nil }

func (a *archiveImage) RawManifest() ([]byte, error) {
	a.once.Do(func() { a.raw, a.err = a.buildManifest() })
	return a.raw, a.err
}

func (a *archiveImage) buildManifest() ([]byte, error) {
	h, n, err := v1.SHA256(bytes.NewReader(a.rawCfg))
	if err != nil {
		return nil, err
	}
	m := v1.Manifest{
		SchemaVersion: 2,
		MediaType:     types.DockerManifestSchema2,
		Config:        v1.Descriptor{MediaType: types.DockerConfigJSON, Size: n, Digest: h},
	}
	for _, l := range a.layers {
		d, err := l.Descriptor()
		if err != nil {
			return nil, err
		}
		m.Layers = append(m.Layers, *d)
	}
	return json.Marshal(m)
}

func (a *archiveImage) LayerByDigest(h v1.Hash) (partial.CompressedLayer, error) {
	for _, l := range a.layers {
		if d, err := l.Digest(); err == nil && d == h {
			return l, nil
		}
	}
	return nil, fmt.Errorf("blob %s not in image", h)
}

// archiveLayer is one layer file of a docker save archive.
type archiveLayer struct {
	ti      *tarIndex
	path    string
	diffID  v1.Hash
	kind    compression.Compression
	size    int64
	foreign *v1.Descriptor // set for foreign (non-distributable) layers

	once   sync.Once
	digest v1.Hash
	err    error
}

func newArchiveLayer(ti *tarIndex, p string, diffID v1.Hash, sources map[v1.Hash]v1.Descriptor) (*archiveLayer, error) {
	l := &archiveLayer{ti: ti, path: p, diffID: diffID}
	if d, ok := sources[diffID]; ok && !d.MediaType.IsDistributable() {
		l.foreign, l.size = &d, d.Size
		return l, nil
	}
	r, err := ti.open(p)
	if err != nil {
		return nil, err
	}
	l.size = r.Size()
	var head [4]byte
	n, _ := io.ReadFull(r, head[:])
	l.kind = sniffCompression(head[:n])
	return l, nil
}

// Digest is the digest of the layer file as stored. A docker save layer
// is an uncompressed tar, so its digest is the diff_id the config claims
// (the inventory pass checks it); a compressed one is hashed once, lazily.
func (l *archiveLayer) Digest() (v1.Hash, error) {
	switch {
	case l.foreign != nil:
		return l.foreign.Digest, nil
	case l.kind == compression.None:
		return l.diffID, nil
	}
	l.once.Do(func() {
		r, err := l.ti.open(l.path)
		if err != nil {
			l.err = err
			return
		}
		l.digest, _, l.err = v1.SHA256(r)
	})
	return l.digest, l.err
}

func (l *archiveLayer) DiffID() (v1.Hash, error) { return l.diffID, nil }

func (l *archiveLayer) Size() (int64, error) { return l.size, nil }

func (l *archiveLayer) MediaType() (types.MediaType, error) {
	switch {
	case l.foreign != nil:
		return l.foreign.MediaType, nil
	case l.kind == compression.GZip:
		return types.DockerLayer, nil
	case l.kind == compression.ZStd:
		return types.OCILayerZStd, nil
	}
	return types.DockerUncompressedLayer, nil
}

func (l *archiveLayer) Compressed() (io.ReadCloser, error) {
	r, err := l.ti.open(l.path)
	if err != nil {
		return nil, fmt.Errorf("layer %s: %w", l.path, err)
	}
	return io.NopCloser(r), nil
}

func (l *archiveLayer) Descriptor() (*v1.Descriptor, error) {
	if l.foreign != nil {
		return l.foreign, nil
	}
	d, err := l.Digest()
	if err != nil {
		return nil, err
	}
	mt, _ := l.MediaType()
	return &v1.Descriptor{MediaType: mt, Size: l.size, Digest: d}, nil
}

// sniffCompression recognises gzip and zstd by their magic numbers.
func sniffCompression(head []byte) compression.Compression {
	switch {
	case len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b:
		return compression.GZip
	case len(head) >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd:
		return compression.ZStd
	}
	return compression.None
}
