package image

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// needDocker skips when there is no usable Docker engine.
func needDocker(t *testing.T) {
	t.Helper()
	if out, err := exec.Command("docker", "info", "--format", "{{.ServerVersion}}").CombinedOutput(); err != nil {
		t.Skipf("no Docker engine (docker info: %v: %s); the daemon: tests need one", err, bytes.TrimSpace(out))
	}
}

// importImage makes a one-layer image in the engine with `docker import`.
func importImage(t *testing.T) string {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range []struct {
		name, body string
		mode       int64
	}{
		{"etc/os-release", "ID=imagedrift-test\n", 0o644},
		{"usr/bin/hello", "#!/bin/sh\necho hello\n", 0o4755},
	} {
		tw.WriteHeader(&tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(f.body)), ModTime: time.Unix(1700000000, 0)})
		tw.Write([]byte(f.body))
	}
	tw.Close()
	p := writeFile(t, filepath.Join(t.TempDir(), "rootfs.tar"), buf.Bytes())
	ref := fmt.Sprintf("imagedrift-test/daemon:%d-%d", os.Getpid(), time.Now().UnixNano())
	if out, err := exec.Command("docker", "import", "--change", "USER 1000", p, ref).CombinedOutput(); err != nil {
		t.Fatalf("docker import: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("docker", "image", "rm", "--force", ref).Run() })
	return ref
}

func TestOpenDaemon(t *testing.T) {
	needDocker(t)
	ref := importImage(t)
	dir := t.TempDir()
	saved := filepath.Join(dir, "saved.tar")
	if out, err := exec.Command("docker", "image", "save", "-o", saved, ref).CombinedOutput(); err != nil {
		t.Fatalf("docker save: %v: %s", err, out)
	}
	// The reference image, read by go-containerregistry's own reader and
	// written as an OCI layout.
	want, err := tarball.ImageFromPath(saved, nil)
	if err != nil {
		t.Fatal(err)
	}
	lp, err := layout.Write(filepath.Join(dir, "layout"), empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := lp.AppendImage(want); err != nil {
		t.Fatal(err)
	}

	tmp := t.TempDir()
	ctx := context.Background()
	for _, r := range []string{"daemon:" + ref, "docker-archive:" + saved, "oci:" + string(lp), saved} {
		got, err := Open(ctx, r, Options{TempDir: tmp})
		if err != nil {
			t.Fatalf("%s: %v", r, err)
		}
		assertSameImage(t, want, got.Image)
		cf, _ := got.Image.ConfigFile()
		if cf.Config.User != "1000" {
			t.Errorf("%s: user %q", r, cf.Config.User)
		}
		if entries, _ := os.ReadDir(tmp); r[:7] == "daemon:" && len(entries) != 1 {
			t.Errorf("%s: want one temporary archive directory while open, found %d", r, len(entries))
		}
		if err := got.Close(); err != nil {
			t.Errorf("%s: Close: %v", r, err)
		}
		if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
			t.Errorf("%s: %d entries left in TempDir after Close", r, len(entries))
		}
	}
}

func TestOpenDaemonErrors(t *testing.T) {
	needDocker(t)
	tmp := t.TempDir()
	_, err := Open(context.Background(), "daemon:imagedrift-test/absent:never", Options{TempDir: tmp})
	assertKind(t, err, ErrNotFound, "daemon:imagedrift-test/absent:never", "not in the Docker engine")

	t.Setenv("DOCKER_HOST", "unix://"+filepath.Join(t.TempDir(), "none.sock"))
	_, err = Open(context.Background(), "daemon:debian:12", Options{TempDir: tmp})
	assertKind(t, err, ErrNoDaemon, "daemon:debian:12", "Docker engine is unreachable")
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("%d entries left in TempDir", len(entries))
	}
}

func TestOpenDaemonNoDocker(t *testing.T) {
	_, err := Open(context.Background(), "daemon:app", Options{DockerBinary: "/nonexistent/docker"})
	assertKind(t, err, ErrNoDaemon, "daemon:app", "/nonexistent/docker", "not installed")
}

// The temporary archive goes away when docker save fails or writes
// something unreadable. A stand-in docker CLI plays those failures.
func TestOpenDaemonCleansUpOnFailure(t *testing.T) {
	scripts := map[string]struct {
		save  string
		kind  error
		parts []string
	}{
		"save fails": {`echo "Error response from daemon: write failed: no space left on device" >&2; exit 1`,
			ErrNoDaemon, []string{"docker image save: Error response from daemon: write failed"}},
		"save garbage": {`echo "not a tar" > "$4"; exit 0`,
			ErrNotImage, []string{"docker save wrote an unreadable archive"}},
		"save no manifest": {`tar -cf "$4" -C "$(dirname "$4")" --files-from /dev/null; exit 0`,
			ErrNotImage, []string{"docker save wrote an unreadable archive", "empty archive"}},
	}
	for name, sc := range scripts {
		t.Run(name, func(t *testing.T) {
			bin := filepath.Join(t.TempDir(), "docker")
			script := "#!/bin/sh\n" +
				`if [ "$2" = inspect ]; then echo sha256:0123; exit 0; fi` + "\n" +
				`if [ "$2" = save ]; then ` + sc.save + "; fi\nexit 1\n"
			if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
				t.Fatal(err)
			}
			tmp := t.TempDir()
			_, err := Open(context.Background(), "daemon:app:1", Options{DockerBinary: bin, TempDir: tmp})
			assertKind(t, err, sc.kind, append(sc.parts, "daemon:app:1")...)
			if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
				t.Errorf("%d entries left in TempDir: %v", len(entries), entries)
			}
		})
	}
}
