package fix

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// strictResolver answers only the references it was given and fails the
// test on any other, like ratchet's test resolver.
type strictResolver struct {
	t       *testing.T
	digests map[string]string
	calls   map[string]int
}

func (r *strictResolver) Digest(_ context.Context, ref string) (string, error) {
	r.calls[ref]++
	d, ok := r.digests[ref]
	if !ok {
		r.t.Errorf("unexpected resolve of %q", ref)
		return "", errors.New("unexpected reference")
	}
	return d, nil
}

var (
	dA = "sha256:" + strings.Repeat("a", 64)
	dB = "sha256:" + strings.Repeat("b", 64)
)

func TestPinEditsInPlace(t *testing.T) {
	src := "# syntax=docker/dockerfile:1\r\n" +
		"ARG BASE=alpine:3.19\r\n" +
		"FROM --platform=$BUILDPLATFORM golang:1.22 AS build\r\n" +
		"RUN go build -o /app .   # keep   spacing\r\n" +
		"FROM ${BASE} AS base\r\n" +
		"FROM Build AS again\r\n" +
		"FROM scratch\r\n" +
		"FROM debian:12@" + dB + "\r\n" +
		"FROM \\\r\n    golang:1.22\r\n" +
		"FROM gcr.io/distroless/static:nonroot\r\n" +
		"FROM golang:\\\n1.22\n"
	r := &strictResolver{t: t, calls: map[string]int{}, digests: map[string]string{
		"golang:1.22":                      dA,
		"gcr.io/distroless/static:nonroot": dB,
	}}
	out, res, err := Pin(context.Background(), "Dockerfile", []byte(src), r)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.NewReplacer(
		"golang:1.22 AS build", "golang:1.22@"+dA+" AS build",
		"    golang:1.22\r\n", "    golang:1.22@"+dA+"\r\n",
		"static:nonroot\r\n", "static:nonroot@"+dB+"\r\n",
	).Replace(src)
	if string(out) != want {
		t.Errorf("Pin output:\n%q\nwant:\n%q", out, want)
	}
	if r.calls["golang:1.22"] != 1 {
		t.Errorf("golang:1.22 resolved %d times, want once", r.calls["golang:1.22"])
	}
	var pinned []string
	for _, p := range res.Pinned {
		pinned = append(pinned, fmt.Sprintf("%d %s", p.Line, p.From))
	}
	if got := strings.Join(pinned, "; "); got != "3 golang:1.22; 10 golang:1.22; 11 gcr.io/distroless/static:nonroot" {
		t.Errorf("pinned = %s", got)
	}
	var skipped []string
	for _, s := range res.Skipped {
		skipped = append(skipped, fmt.Sprintf("%d %s", s.Line, s.Image))
	}
	if got := strings.Join(skipped, "; "); got != "5 ${BASE}; 6 Build; 7 scratch; 8 debian:12@"+dB+"; 12 golang:1.22" {
		t.Errorf("skipped = %s", got)
	}
}

func TestPinFailsWhole(t *testing.T) {
	r := &strictResolver{t: t, calls: map[string]int{}, digests: map[string]string{"alpine:3.19": dA}}
	src := "FROM alpine:3.19\nFROM private.example/app:1\n"
	failing := resolverFunc(func(ctx context.Context, ref string) (string, error) {
		if ref == "private.example/app:1" {
			return "", errors.New("unauthorized")
		}
		return r.Digest(ctx, ref)
	})
	out, _, err := Pin(context.Background(), "ci/Dockerfile", []byte(src), failing)
	if err == nil || out != nil || !strings.Contains(err.Error(), "ci/Dockerfile:2: resolve private.example/app:1: unauthorized") {
		t.Errorf("Pin = %q, %v; want an error naming the line", out, err)
	}
	bad := resolverFunc(func(context.Context, string) (string, error) { return "sha256:short", nil })
	if _, _, err := Pin(context.Background(), "Dockerfile", []byte(src), bad); err == nil {
		t.Error("Pin accepted a malformed digest")
	}
	if _, _, err := Pin(context.Background(), "Dockerfile", []byte("# nothing\n"), bad); err == nil {
		t.Error("Pin accepted a file without instructions")
	}
}

type resolverFunc func(context.Context, string) (string, error)

func (f resolverFunc) Digest(ctx context.Context, ref string) (string, error) { return f(ctx, ref) }

// testRegistry serves go-containerregistry's in-process registry with a
// single-platform image at app:1.0 and a two-platform index at multi:2.
// Once they are pushed, manifest HEAD requests are counted, and refused
// when noHead is set.
func testRegistry(t *testing.T, noHead bool) (host string, img, idx v1.Hash, heads *atomic.Int32) {
	t.Helper()
	heads = &atomic.Int32{}
	var ready atomic.Bool
	reg := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ready.Load() && r.Method == http.MethodHead && strings.Contains(r.URL.Path, "/manifests/") {
			heads.Add(1)
			if noHead {
				w.WriteHeader(http.StatusMethodNotAllowed)
				return
			}
		}
		reg.ServeHTTP(w, r)
	})
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	host = u.Host
	image, err := random.Image(512, 2)
	if err != nil {
		t.Fatal(err)
	}
	index, err := random.Index(512, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	appRef, err := name.ParseReference(host + "/app:1.0")
	if err != nil {
		t.Fatal(err)
	}
	multiRef, err := name.ParseReference(host + "/multi:2")
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(appRef, image); err != nil {
		t.Fatal(err)
	}
	if err := remote.WriteIndex(multiRef, index); err != nil {
		t.Fatal(err)
	}
	img, _ = image.Digest()
	idx, _ = index.Digest()
	ready.Store(true)
	return host, img, idx, heads
}

func TestPinAgainstRegistry(t *testing.T) {
	host, img, idx, heads := testRegistry(t, false)
	src := fmt.Sprintf("FROM %[1]s/multi:2 AS build\nRUN true\nFROM %[1]s/app:1.0\nCOPY --from=build / /\n", host)
	out, res, err := Pin(context.Background(), "Dockerfile", []byte(src), Registry{})
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("FROM %[1]s/multi:2@%[2]s AS build\nRUN true\nFROM %[1]s/app:1.0@%[3]s\nCOPY --from=build / /\n", host, idx, img)
	if string(out) != want {
		t.Errorf("got:\n%s\nwant:\n%s", out, want)
	}
	if len(res.Pinned) != 2 || heads.Load() != 2 {
		t.Errorf("pinned %d, manifest HEAD requests %d; want 2 and 2", len(res.Pinned), heads.Load())
	}
	if _, _, err := Pin(context.Background(), "Dockerfile", []byte("FROM "+host+"/missing:1\n"), Registry{}); err == nil {
		t.Error("Pin of a missing tag succeeded")
	}
}

// TestRegistryFallsBackToGet serves a registry that refuses HEAD.
func TestRegistryFallsBackToGet(t *testing.T) {
	host, _, idx, heads := testRegistry(t, true)
	got, err := Registry{}.Digest(context.Background(), host+"/multi:2")
	if err != nil || got != idx.String() || heads.Load() != 1 {
		t.Errorf("Digest = %q, %v after %d HEAD; want %s after 1", got, err, heads.Load(), idx)
	}
}
