package inventory

import (
	"context"
	"fmt"
	"io"
	"math"
	"runtime"
	"sync"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/units"
)

// Options configure an Indexer.
type Options struct {
	Catalogers []packages.Cataloger
	// Progress, when set, gets one line per layer read.
	Progress io.Writer
	// Parallel is how many layers are decompressed at once (default
	// GOMAXPROCS).
	Parallel int
	Limits   Limits // zero value: DefaultLimits
	// Release drops a layer's index once every inventory that asked for
	// it is done, rather than keeping it for inventories to come: those
	// indexed at the same time still share it, later ones read it again.
	// A layer's index holds every entry and what the catalogers kept;
	// dropping it as soon as it served keeps the memory of a pair of large
	// images down.
	Release bool
	// Cache, when set, keeps what each layer read yields between runs:
	// a layer found there is not read at all. Failed reads are never
	// stored.
	Cache Cache
	// Program names the program's version, part of every cache key: a
	// cataloger's Match or extractor may change from one release to the
	// next, and release builds carry no version control information.
	Program string
	// Warn, when set, is told of problems that cost time but not
	// correctness (a damaged cache entry, a cache that cannot be
	// written). Layers are read in parallel, but Warn is called once
	// at a time.
	Warn func(msg string)
}

// Indexer builds inventories. Layers are read in parallel, and a layer
// (by diffID) already read by this Indexer is read once: base and head
// images usually share their bottom layers.
type Indexer struct {
	opts   Options
	reader *layerReader
	sem    chan struct{}
	fp     string // the cache fingerprint of the options

	mu     sync.Mutex
	layers map[layerKey]*layerJob

	warnMu    sync.Mutex
	squashing chan struct{} // held by the inventory squashing its layers
}

// layerKey names a layer by the digest its read is verified against: a
// layer verified by its blob digest is never shared with one that only
// claims the same diffID, so a crafted config cannot borrow another
// image's index.
type layerKey struct {
	blob bool
	hash v1.Hash
}

func keyOf(diffID, stored v1.Hash) layerKey {
	if stored.Algorithm != "" {
		return layerKey{blob: true, hash: stored}
	}
	return layerKey{hash: diffID}
}

type layerJob struct {
	done  chan struct{}
	idx   *layerIndex
	err   error
	users int // inventories using it, with Options.Release
}

// NewIndexer returns an Indexer with the given options.
func NewIndexer(opts Options) *Indexer {
	if opts.Parallel <= 0 {
		opts.Parallel = runtime.GOMAXPROCS(0)
	}
	if opts.Limits == (Limits{}) {
		opts.Limits = DefaultLimits
	}
	var fp string
	if opts.Cache != nil {
		fp = fingerprint(opts.Catalogers, opts.Limits, opts.Program)
	}
	return &Indexer{
		fp:        fp,
		opts:      opts,
		reader:    &layerReader{catalogers: opts.Catalogers, limits: opts.Limits},
		sem:       make(chan struct{}, opts.Parallel),
		squashing: make(chan struct{}, 1),
		layers:    map[layerKey]*layerJob{},
	}
}

// Source is an image to index.
type Source struct {
	Ref         string // recorded as given
	Image       v1.Image
	Annotations map[string]string
	// Synthetic marks an image without a manifest of its own (docker save
	// archives): no manifest digest is recorded, and layers are known by
	// their diffID, so no layer is read twice to compute a digest.
	Synthetic bool
}

// Inventory indexes an image. Any layer that cannot be read completely
// fails the whole inventory with a *LayerError.
func (x *Indexer) Inventory(ctx context.Context, src Source) (*Inventory, error) {
	img := src.Image
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	layers, err := img.Layers()
	if err != nil {
		return nil, fmt.Errorf("list layers: %w", err)
	}
	if len(layers) > math.MaxInt32 {
		// File.Layer and the tree hold layer indexes as int32.
		return nil, fmt.Errorf("%w: %d layers", ErrCorrupt, len(layers))
	}
	if len(cf.RootFS.DiffIDs) != len(layers) {
		return nil, fmt.Errorf("%w: the config lists %d layer digests (diff_ids) for %d layers", ErrCorrupt, len(cf.RootFS.DiffIDs), len(layers))
	}
	inv := &Inventory{SchemaVersion: SchemaVersion, Ref: src.Ref, Annotations: src.Annotations}
	if err := describe(inv, img, cf, layers, src.Synthetic); err != nil {
		return nil, err
	}

	jobs := make([]*layerJob, len(layers))
	keys := make([]layerKey, len(layers))
	for i, l := range layers {
		keys[i] = keyOf(cf.RootFS.DiffIDs[i], storedDigest(inv.Layers[i]))
		jobs[i] = x.start(ctx, l, cf.RootFS.DiffIDs[i], storedDigest(inv.Layers[i]))
	}
	defer x.release(keys, jobs)
	return x.squash(ctx, inv, jobs)
}

// squash applies the layers as they are read, then lists the files. The
// tree of one image holds a node per path besides the file list; two
// images indexed at once (a diff) take turns, so only one tree is alive
// at the peak, while their layers are still read in parallel.
func (x *Indexer) squash(ctx context.Context, inv *Inventory, jobs []*layerJob) (*Inventory, error) {
	select {
	case x.squashing <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-x.squashing }()
	var sq squasher
	for i, j := range jobs {
		select {
		case <-j.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if j.err != nil {
			return nil, &LayerError{Index: i, Digest: inv.Layers[i].Digest, Err: j.err}
		}
		inv.Layers[i].UncompSize = j.idx.uncompSize
		if inv.Layers[i].Size < 0 {
			inv.Layers[i].Size = j.idx.compSize
		}
		inv.CompressedSize += inv.Layers[i].Size
		inv.Layers[i].Entries = len(j.idx.entries)
		sq.apply(i, j.idx)
	}
	sq.result(inv, x.opts.Catalogers)
	return inv, nil
}

// start returns the job reading layer l, starting it unless a job for the
// same layer exists.
func (x *Indexer) start(ctx context.Context, l v1.Layer, diffID, stored v1.Hash) *layerJob {
	x.mu.Lock()
	defer x.mu.Unlock()
	key := keyOf(diffID, stored)
	if j, ok := x.layers[key]; ok {
		j.users++
		return j
	}
	j := &layerJob{done: make(chan struct{}), users: 1}
	x.layers[key] = j
	// A layer read for one image is shared with others, so it must not be
	// cancelled with the first image's context.
	ctx = context.WithoutCancel(ctx)
	go func() {
		defer close(j.done)
		x.sem <- struct{}{}
		defer func() { <-x.sem }()
		t0 := time.Now()
		var cached bool
		j.idx, cached, j.err = x.read(ctx, key, l, diffID, stored)
		if j.err != nil {
			x.forget(key, j)
		}
		if x.opts.Progress != nil && j.err == nil {
			from := ""
			if cached {
				from = " (from the layer cache)"
			}
			fmt.Fprintf(x.opts.Progress, "layer %s: %d entries, %s in %.1fs%s\n", shortDigest(diffID.String()), len(j.idx.entries), units.Bytes(j.idx.uncompSize), time.Since(t0).Seconds(), from)
		}
	}()
	return j
}

// read returns a layer's index from the cache (cached true), else reads
// the layer and stores what it yielded.
func (x *Indexer) read(ctx context.Context, key layerKey, l v1.Layer, diffID, stored v1.Hash) (idx *layerIndex, cached bool, err error) {
	ck, ok := cacheKey(key, x.fp)
	if x.opts.Cache == nil || !ok {
		idx, err := x.reader.read(ctx, l, diffID, stored)
		return idx, false, err
	}
	data, hit, err := x.opts.Cache.Get(ck)
	switch {
	case err != nil:
		x.warn(fmt.Sprintf("layer %s: %v; reading the layer again", shortDigest(key.hash.String()), err))
	case hit:
		idx, err := decodeIndex(data, ck, len(x.opts.Catalogers))
		if err == nil {
			return idx, true, nil
		}
		x.warn(fmt.Sprintf("layer %s: cached index unusable (%v); reading the layer again", shortDigest(key.hash.String()), err))
	}
	idx, err = x.reader.read(ctx, l, diffID, stored)
	if err != nil {
		return nil, false, err
	}
	if data, ok := encodeIndex(idx, ck); ok {
		if err := x.opts.Cache.Put(ck, data); err != nil {
			x.warn(fmt.Sprintf("layer %s: %v", shortDigest(key.hash.String()), err))
		}
	}
	return idx, false, nil
}

func (x *Indexer) warn(msg string) {
	if x.opts.Warn != nil {
		x.warnMu.Lock()
		defer x.warnMu.Unlock()
		x.opts.Warn(msg)
	}
}

// release tells that an inventory is done with its layers' jobs; with
// Options.Release, a job no inventory uses any more is dropped.
func (x *Indexer) release(keys []layerKey, jobs []*layerJob) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for i, j := range jobs {
		if j.users--; j.users == 0 && x.opts.Release && x.layers[keys[i]] == j {
			delete(x.layers, keys[i])
		}
	}
}

// forget drops a failed job so a later request retries the layer.
func (x *Indexer) forget(key layerKey, j *layerJob) {
	x.mu.Lock()
	if x.layers[key] == j {
		delete(x.layers, key)
	}
	x.mu.Unlock()
}

// describe fills in what the manifest and config say, without reading
// layer content. Synthetic images get no manifest digest; their layers are
// known by diffID and stored size.
func describe(inv *Inventory, img v1.Image, cf *v1.ConfigFile, layers []v1.Layer, synthetic bool) error {
	stored := !synthetic
	if stored {
		d, err := img.Digest()
		if err != nil {
			return fmt.Errorf("manifest digest: %w", err)
		}
		inv.Digest = d.String()
	}
	if cn, err := img.ConfigName(); err == nil {
		inv.ConfigDigest = cn.String()
	}
	inv.Platform = cf.OS + "/" + cf.Architecture
	if cf.Variant != "" {
		inv.Platform += "/" + cf.Variant
	}
	inv.Config = convertConfig(cf)
	hist := layerHistory(cf)
	for i, l := range layers {
		li := Layer{DiffID: cf.RootFS.DiffIDs[i].String()}
		if stored {
			d, err := l.Digest()
			if err != nil {
				return fmt.Errorf("layer %d digest: %w", i, err)
			}
			li.Digest = d.String()
			if li.Size, err = l.Size(); err != nil {
				return fmt.Errorf("layer %d size: %w", i, err)
			}
			if mt, err := l.MediaType(); err == nil {
				li.MediaType = string(mt)
			}
		} else {
			li.Digest = li.DiffID
			li.Size = -1 // filled with the stored size once read
		}
		if i < len(hist) {
			li.CreatedBy = hist[i]
		}
		inv.Layers = append(inv.Layers, li)
	}
	return nil
}

// storedDigest is the manifest's digest of a layer blob, or the zero Hash
// where the manifest is not the image's own (the layer is then known by
// its diffID only).
func storedDigest(l Layer) v1.Hash {
	if l.Digest == l.DiffID {
		return v1.Hash{}
	}
	h, err := v1.NewHash(l.Digest)
	if err != nil {
		return v1.Hash{}
	}
	return h
}
