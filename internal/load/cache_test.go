package load

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/imagedrift/imagedrift/internal/build/buildtest"
	"github.com/imagedrift/imagedrift/internal/fixtures"
	"github.com/imagedrift/imagedrift/internal/inventory"
)

// sameWithCache reads the pair without the cache, then twice with an
// empty one (filled by the first run, served by the second): every
// inventory must be byte for byte the one read without the cache, and
// nothing may be warned.
func sameWithCache(t *testing.T, base, head string) {
	t.Helper()
	ctx := context.Background()
	encode := func(b, h *inventory.Inventory) []byte {
		var buf bytes.Buffer
		for _, inv := range []*inventory.Inventory{b, h} {
			if err := json.NewEncoder(&buf).Encode(inv); err != nil {
				t.Fatal(err)
			}
		}
		return buf.Bytes()
	}
	b, h, err := Pair(ctx, base, head, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := encode(b, h)
	dir := t.TempDir()
	o := Options{CacheDir: dir, Warn: func(m string) { t.Errorf("warning: %s", m) }}
	for run := 0; run < 2; run++ {
		b, h, err := Pair(ctx, base, head, o)
		if err != nil {
			t.Fatal(err)
		}
		if got := encode(b, h); !bytes.Equal(got, want) {
			t.Fatalf("run %d with the layer cache differs from a read without it", run)
		}
	}
	if entries, _ := filepath.Glob(filepath.Join(dir, "layers", "*")); len(entries) == 0 {
		t.Fatal("nothing was stored")
	}
}

// TestCacheSameOnFixtures: the realistic fixtures, as docker archives
// (layers known by diffID) and OCI layouts (by stored blob digest).
func TestCacheSameOnFixtures(t *testing.T) {
	cases := []struct{ base, head, ext string }{
		{"bookworm-minbase", "trixie-minbase", ".docker.tar"},
		{"bookworm-minbase", "trixie-minbase", ".oci"},
	}
	if !testing.Short() { // about 25 s each on two cores
		cases = append(cases, struct{ base, head, ext string }{"big-c", "big-d", ".docker.tar"},
			struct{ base, head, ext string }{"big-c-3layer", "big-d", ".oci"})
	}
	for _, c := range cases {
		t.Run(c.base+"-"+c.head+c.ext, func(t *testing.T) {
			base := fixtures.Require(t, "images", c.base+c.ext)
			head := fixtures.Require(t, "images", c.head+c.ext)
			sameWithCache(t, base, head)
		})
	}
}

// TestCacheSameOnEngineImages: two images built by the engine, the head
// on top of the base, read back as daemon: references.
func TestCacheSameOnEngineImages(t *testing.T) {
	buildtest.RequireDocker(t)
	status, err := os.ReadFile(filepath.Join("..", "build", "testdata", "status-hostname"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(p, s string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("rootfs/var/lib/dpkg/status", string(status))
	write("rootfs/etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n")
	write("app/node_modules/left-pad/package.json", `{"name":"left-pad","version":"1.3.0"}`)
	write("app/site/six-1.16.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\n")
	stamp := time.Now().UnixNano()
	baseTag := fmt.Sprintf("imagedrift-test/cache-base:%d", stamp)
	headTag := fmt.Sprintf("imagedrift-test/cache-head:%d", stamp)
	write("Dockerfile.base", "FROM scratch\nCOPY rootfs/ /\n")
	write("Dockerfile.head", "FROM "+baseTag+"\nCOPY app/ /app/\nCOPY rootfs/etc/os-release /etc/os-release.copy\n")
	docker(t, "build", "-q", "-f", filepath.Join(dir, "Dockerfile.base"), "-t", baseTag, dir)
	t.Cleanup(func() { exec.Command("docker", "image", "rm", "-f", headTag, baseTag).Run() })
	docker(t, "build", "-q", "-f", filepath.Join(dir, "Dockerfile.head"), "-t", headTag, dir)
	sameWithCache(t, "daemon:"+baseTag, "daemon:"+headTag)
}
