package image

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

func TestParseRef(t *testing.T) {
	existing := map[string]bool{"/img/a:b.tar": true, "/img/app.tar": true, "layout": true, "app.tar": true}
	exists := func(p string) bool { return existing[p] }
	tests := []struct {
		ref  string
		want parsedRef
		kind error
	}{
		{ref: "docker-archive:/img/app.tar", want: parsedRef{transport: tDockerArchive, path: "/img/app.tar"}},
		{ref: "docker-archive:/img/app.tar:app:1.0", want: parsedRef{transport: tDockerArchive, path: "/img/app.tar", sel: "app:1.0"}},
		{ref: "docker-archive:/img/app.tar:@2", want: parsedRef{transport: tDockerArchive, path: "/img/app.tar", sel: "@2"}},
		{ref: "docker-archive:/img/a:b.tar", want: parsedRef{transport: tDockerArchive, path: "/img/a:b.tar"}},
		{ref: "docker-archive:/img/a:b.tar:x:1", want: parsedRef{transport: tDockerArchive, path: "/img/a:b.tar", sel: "x:1"}},
		{ref: "docker-archive:/gone.tar:x:1", want: parsedRef{transport: tDockerArchive, path: "/gone.tar", sel: "x:1"}},
		{ref: "oci-archive:/img/app.tar", want: parsedRef{transport: tOCIArchive, path: "/img/app.tar"}},
		{ref: "oci:layout:v1", want: parsedRef{transport: tOCI, path: "layout", sel: "v1"}},
		{ref: "oci:layout", want: parsedRef{transport: tOCI, path: "layout"}},
		{ref: "daemon:app:1", want: parsedRef{transport: tDaemon, name: "app:1"}},
		{ref: "daemon:sha256:0123", want: parsedRef{transport: tDaemon, name: "sha256:0123"}},
		{ref: "registry:ghcr.io/o/app:1", want: parsedRef{transport: tRegistry, name: "ghcr.io/o/app:1"}},
		{ref: "registry://ghcr.io/o/app:1", want: parsedRef{transport: tRegistry, name: "ghcr.io/o/app:1"}},
		{ref: "docker://debian:12", want: parsedRef{transport: tRegistry, name: "debian:12"}},
		{ref: "debian:12", want: parsedRef{transport: tRegistry, name: "debian:12"}},
		{ref: "docker:24-dind", want: parsedRef{transport: tRegistry, name: "docker:24-dind"}},
		{ref: "localhost:5000/app:1", want: parsedRef{transport: tRegistry, name: "localhost:5000/app:1"}},
		{ref: "debian@sha256:" + strings.Repeat("ab", 32), want: parsedRef{transport: tRegistry, name: "debian@sha256:" + strings.Repeat("ab", 32)}},
		{ref: "app.tar", want: parsedRef{transport: tPath, path: "app.tar"}},
		{ref: "layout", want: parsedRef{transport: tPath, path: "layout"}},
		{ref: "inventory:base.json", want: parsedRef{transport: tInventory, path: "base.json"}},
		{ref: "missing.tar", kind: ErrNotFound},
		{ref: "./build/img", kind: ErrNotFound},
		{ref: "/img/none", kind: ErrNotFound},
		{ref: "foo:bar.tar", kind: ErrNotFound},
		{ref: "dockr-archive:app.tar", kind: ErrUnknownTransport},
		{ref: "oci-layout:/x", kind: ErrUnknownTransport},
		{ref: "tarball:/x", kind: ErrUnknownTransport},
		{ref: "", kind: ErrBadRef},
		{ref: "daemon:", kind: ErrBadRef},
		{ref: "registry:", kind: ErrBadRef},
		{ref: "UPPER/case", kind: ErrBadRef},
		{ref: "docker-archive:", kind: ErrBadRef},
	}
	for _, tc := range tests {
		got, err := parseRef(tc.ref, exists)
		if tc.kind != nil {
			if !errors.Is(err, tc.kind) {
				t.Errorf("%q: want %v, got %+v, %v", tc.ref, tc.kind, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q: got %+v, %v; want %+v", tc.ref, got, err, tc.want)
		}
	}
}

// FuzzParseRef checks that any string parses to a known transport whose
// parts put back together give the reference, or to an *Error.
func FuzzParseRef(f *testing.F) {
	for _, s := range []string{"docker-archive:/a.tar:x:1", "oci:dir:@0", "daemon:app", "registry:ghcr.io/o/a:1",
		"debian:12", "docker://x", "inventory:x.json", "a:b:c", "oci-archiv:/x", "::", "@", "docker-archive::"} {
		f.Add(s, "/a.tar")
	}
	f.Fuzz(func(t *testing.T, ref, existing string) {
		exists := func(p string) bool { return p == existing }
		pr, err := parseRef(ref, exists)
		if err != nil {
			var ie *Error
			if !errors.As(err, &ie) || ie.Kind == nil || strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("%q: bad error %#v", ref, err)
			}
			return
		}
		switch pr.transport {
		case tDockerArchive, tOCIArchive, tOCI:
			back := pr.transport + ":" + pr.path
			if pr.sel != "" {
				back += ":" + pr.sel
			}
			if back != ref || pr.path == "" {
				t.Fatalf("%q parsed to %+v", ref, pr)
			}
		case tPath:
			if pr.path != ref || !exists(ref) {
				t.Fatalf("%q parsed to %+v", ref, pr)
			}
		case tDaemon, tRegistry:
			if pr.name == "" || !strings.HasSuffix(ref, pr.name) {
				t.Fatalf("%q parsed to %+v", ref, pr)
			}
		case tInventory:
			if p, ok := IsInventory(ref); !ok || p != pr.path {
				t.Fatalf("%q parsed to %+v", ref, pr)
			}
		default:
			t.Fatalf("%q: unknown transport %q", ref, pr.transport)
		}
	})
}

// FuzzOpenArchive feeds arbitrary bytes to the archive readers: Open
// must fail with an *Error or give an image whose config and layers can
// be asked for without a panic.
func FuzzOpenArchive(f *testing.F) {
	dir := f.TempDir()
	img := testImage(f, 1, "amd64")
	save := filepath.Join(dir, "save.tar")
	writeDockerSave(f, save, [][]string{{"app:1"}}, []v1.Image{img})
	layoutDir := writeLayout(f, filepath.Join(dir, "layout"), img, "v1", nil)
	oci := tarDir(f, layoutDir, filepath.Join(dir, "oci.tar"))
	for _, p := range []string{save, oci} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("manifest.json"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "in.tar")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, ref := range []string{p, "docker-archive:" + p, "oci-archive:" + p} {
			got, err := Open(context.Background(), ref, Options{})
			if err != nil {
				var ie *Error
				if !errors.As(err, &ie) || !slices.Contains(allKinds, ie.Kind) {
					t.Fatalf("%s: %T %v", ref, err, err)
				}
				continue
			}
			got.Image.ConfigFile()
			if ls, err := got.Image.Layers(); err == nil {
				for _, l := range ls {
					l.Digest()
					if rc, err := l.Uncompressed(); err == nil {
						buf := make([]byte, 4096)
						rc.Read(buf)
						rc.Close()
					}
				}
			}
			got.Image.Manifest()
			got.Close()
		}
	})
}

var allKinds = []error{ErrBadRef, ErrUnknownTransport, ErrInventory, ErrNotFound, ErrNotImage,
	ErrAmbiguous, ErrPlatform, ErrNoDaemon, ErrAuth, ErrUnreachable}
