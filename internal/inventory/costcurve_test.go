package inventory

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/imagedrift/imagedrift/internal/inventory/synthimage"
	"github.com/imagedrift/imagedrift/internal/packages/catalogers"
)

// BenchmarkCostCurve indexes synthetic images of 10,000 to 1,000,000
// files over 1 to 100 layers (see synthimage.Spec), with every cataloger,
// as the command does. The cost must grow with the files and bytes and
// nothing else. Run one size with
//
//	go test ./internal/inventory -run '^$' -bench 'CostCurve/files=100000/' -benchtime 3x
func BenchmarkCostCurve(b *testing.B) {
	for _, files := range []int{10_000, 100_000, 1_000_000} {
		for _, layers := range []int{1, 10, 100} {
			b.Run(fmt.Sprintf("files=%d/layers=%d", files, layers), func(b *testing.B) {
				img, err := synthimage.Spec{Files: files, Layers: layers, Seed: 1}.Image()
				if err != nil {
					b.Fatal(err)
				}
				benchSynthetic(b, img)
			})
		}
	}
}

// BenchmarkPathological measures the steps a naive squash makes
// quadratic; each pair of sizes must differ in cost by the factor of ten
// of their sizes, no more.
func BenchmarkPathological(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		cases := []struct {
			name string
			make func() (v1.Image, error)
		}{
			{"hardlinks-to-one-file", func() (v1.Image, error) { return synthimage.Hardlinks(n) }},
			{"whiteout-of-dir", func() (v1.Image, error) { return synthimage.DirWhiteout(n, false) }},
			{"opaque-dir", func() (v1.Image, error) { return synthimage.DirWhiteout(n, true) }},
			{"depth-10", func() (v1.Image, error) { return synthimage.Deep(n, 10) }},
			{"depth-100", func() (v1.Image, error) { return synthimage.Deep(n, 100) }},
		}
		for _, c := range cases {
			b.Run(fmt.Sprintf("%s/n=%d", c.name, n), func(b *testing.B) {
				img, err := c.make()
				if err != nil {
					b.Fatal(err)
				}
				benchSynthetic(b, img)
			})
		}
	}
}

// benchSynthetic indexes img b.N times and reports, per path written by
// the layers (entries, whiteouts included): entries per second, the heap
// the inventory keeps, the largest heap seen, and the allocations (those
// of the generator left out).
func benchSynthetic(b *testing.B, img v1.Image) {
	if _, err := img.Digest(); err != nil { // the layers' first pass
		b.Fatal(err)
	}
	genAllocs, genBytes := streamAllocs(b, img)
	ctx := context.Background()
	var inv *Inventory
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	peak := sampleHeap()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		inv = nil
		var err error
		inv, err = NewIndexer(Options{Catalogers: catalogers.All(), Release: true}).Inventory(ctx, Source{Image: img})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	maxHeap := peak()
	runtime.ReadMemStats(&after)
	entries := 0
	var bytes int64
	for _, l := range inv.Layers {
		entries += l.Entries
		bytes += l.UncompSize
	}
	b.SetBytes(bytes)
	live := liveHeap()
	runtime.KeepAlive(inv)
	b.ReportMetric(float64(len(inv.Files)), "files")
	b.ReportMetric(float64(entries)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
	b.ReportMetric(float64(live)/float64(entries), "live-B/entry")
	b.ReportMetric(float64(maxHeap)/float64(entries), "peak-heap-B/entry")
	n := float64(b.N) * float64(entries)
	b.ReportMetric((float64(after.Mallocs-before.Mallocs)-float64(b.N)*float64(genAllocs))/n, "allocs/entry")
	b.ReportMetric((float64(after.TotalAlloc-before.TotalAlloc)-float64(b.N)*float64(genBytes))/n, "alloc-B/entry")
}

// streamAllocs is what producing the image's layer streams allocates,
// which the per-entry allocation figures leave out: the generator runs in
// the benchmark's process, the inventory of a real image has no such cost.
func streamAllocs(b *testing.B, img v1.Image) (allocs, bytes uint64) {
	ls, err := img.Layers()
	if err != nil {
		b.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for _, l := range ls {
		rc, err := l.Uncompressed()
		if err != nil {
			b.Fatal(err)
		}
		_, err = io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	return after.Mallocs - before.Mallocs, after.TotalAlloc - before.TotalAlloc
}

func liveHeap() uint64 {
	runtime.GC()
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// sampleHeap watches the heap's objects every few milliseconds until the
// returned function is called, which returns the largest seen.
func sampleHeap() func() uint64 {
	var mu sync.Mutex
	var high uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			mu.Lock()
			high = max(high, s[0].Value.Uint64())
			mu.Unlock()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-stopped
		return high
	}
}
