package load

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/imagedrift/imagedrift/internal/build/buildtest"
	"github.com/imagedrift/imagedrift/internal/inventory"
)

// TestSameInventoryFromEveryTransport builds a FROM scratch image with the
// real engine and reads it back as daemon:, docker-archive: (docker save)
// and oci: (an OCI layout written from that archive): the inventories must
// agree on everything but the reference and the manifest digest.
func TestSameInventoryFromEveryTransport(t *testing.T) {
	buildtest.RequireDocker(t)
	ctx := context.Background()
	dir := t.TempDir()
	status, err := os.ReadFile(filepath.Join("..", "build", "testdata", "status-hostname"))
	if err != nil {
		t.Fatal(err)
	}
	osRelease, err := os.ReadFile(filepath.Join("..", "build", "testdata", "os-release"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"rootfs/var/lib/dpkg/status": status,
		"rootfs/etc/os-release":      osRelease,
		"rootfs/usr/bin/hello":       []byte("#!/bin/sh\necho hello\n"),
		"Dockerfile":                 []byte("FROM scratch\nCOPY rootfs/ /\nCOPY rootfs/usr/bin/hello /usr/local/bin/hello2\nUSER 1000\nCMD [\"/usr/bin/hello\"]\n"),
	}
	for p, b := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tag := fmt.Sprintf("imagedrift-test/transports:%d", time.Now().UnixNano())
	docker(t, "build", "-q", "-t", tag, dir)
	t.Cleanup(func() { exec.Command("docker", "image", "rm", "-f", tag).Run() })

	archive := filepath.Join(dir, "image.tar")
	docker(t, "image", "save", "-o", archive, tag)
	img, err := tarball.ImageFromPath(archive, nil)
	if err != nil {
		t.Fatal(err)
	}
	ociDir := filepath.Join(dir, "oci")
	p, err := layout.Write(ociDir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AppendImage(img); err != nil {
		t.Fatal(err)
	}

	var invs []*inventory.Inventory
	for _, ref := range []string{"daemon:" + tag, "docker-archive:" + archive, "oci:" + ociDir} {
		inv, err := One(ctx, NewIndexer(Options{}), ref, Options{})
		if err != nil {
			t.Fatalf("%s: %v", ref, err)
		}
		invs = append(invs, inv)
	}
	if len(invs[0].Packages) != 1 || invs[0].Packages[0].Name != "hostname" {
		t.Fatalf("packages = %+v, want the hostname package of the dpkg status", invs[0].Packages)
	}
	if len(invs[0].Files) < 6 || invs[0].OS.ID == "" {
		t.Fatalf("files = %d, os = %+v", len(invs[0].Files), invs[0].OS)
	}
	norm := func(inv *inventory.Inventory) inventory.Inventory {
		c := *inv
		c.Ref, c.Digest = "", ""
		c.Layers = append([]inventory.Layer(nil), inv.Layers...)
		for i := range c.Layers {
			// Stored form differs (docker save: uncompressed tar; the
			// layout holds what go-containerregistry compressed).
			c.Layers[i].Digest, c.Layers[i].Size, c.Layers[i].MediaType = "", 0, ""
		}
		c.CompressedSize = 0
		return c
	}
	want := norm(invs[0])
	for i, name := range []string{"docker-archive", "oci"} {
		if got := norm(invs[i+1]); !reflect.DeepEqual(got, want) {
			t.Errorf("%s inventory differs from the daemon's:\n got %+v\nwant %+v", name, got, want)
		}
	}
}

func docker(t *testing.T, args ...string) {
	t.Helper()
	cmd := exec.Command("docker", args...)
	cmd.Env = append(os.Environ(), "DOCKER_BUILDKIT=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("docker %v: %v\n%s", args, err, out)
	}
}
