package repro

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imagedrift/imagedrift/internal/build"
	"github.com/imagedrift/imagedrift/internal/build/buildtest"
	"github.com/imagedrift/imagedrift/internal/lint"
	"github.com/imagedrift/imagedrift/internal/report"
)

// TestOwnDockerfileReproducible builds the repository's own Dockerfile
// twice: the imagedrift image must be bit-identical (the same image ID),
// or the test lists what differs. It needs the Dockerfile's pinned base
// images (pulled when missing) and a builder that rewrites file times to
// SOURCE_DATE_EPOCH; where either is missing it skips, naming it.
func TestOwnDockerfileReproducible(t *testing.T) {
	buildtest.RequireDocker(t)
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(root, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	requireBaseImages(t, src)
	var log strings.Builder
	start := time.Now()
	res, err := Check(context.Background(), Options{Build: build.Options{RepoDir: root, WorkDir: t.TempDir(), Log: &log}})
	if err != nil {
		t.Fatalf("Check: %v\n%s", err, log.String())
	}
	t.Logf("%s: two builds and the check in %s", res.Twice.Builder, time.Since(start).Round(time.Second))
	r := res.Reproducibility
	if r.Reproducible {
		return
	}
	if !r.RewritesTimestamps && onlyTimestamps(r) {
		t.Skipf("%s does not rewrite file times to SOURCE_DATE_EPOCH, and timestamps are all that differ: "+
			"run with a buildx builder of BuildKit v0.13 or later on the docker-container driver "+
			"(docker buildx create --use) to check bit-identity", res.Twice.Builder)
	}
	t.Errorf("the repository's Dockerfile is not reproducible: %s and %s differ in\n%s", r.First, r.Second, differences(r))
}

// requireBaseImages skips unless every image the Dockerfile builds FROM
// is in the engine or can be pulled.
func requireBaseImages(t *testing.T, src []byte) {
	t.Helper()
	bases, err := lint.BaseImages("Dockerfile", src)
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	for _, b := range bases {
		if b.Kind != lint.KindImage {
			continue
		}
		if exec.Command("docker", "image", "inspect", b.Ref).Run() == nil {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		out, err := exec.CommandContext(ctx, "docker", "pull", "-q", b.Ref).CombinedOutput()
		cancel()
		if err != nil {
			missing = append(missing, fmt.Sprintf("%s (docker pull: %s)", b.Ref, firstLine(string(out))))
		}
	}
	if len(missing) > 0 {
		t.Skipf("the repository's Dockerfile builds FROM images this machine has not got and cannot pull: %s",
			strings.Join(missing, "; "))
	}
}

func onlyTimestamps(r *report.Reproducibility) bool {
	for _, c := range r.Causes {
		if c.Cause != report.ReproTimestamps {
			return false
		}
	}
	return true
}

func differences(r *report.Reproducibility) string {
	var b strings.Builder
	for _, c := range r.Causes {
		fmt.Fprintf(&b, "%s (%d):\n", c.Cause, c.Count)
		for _, d := range c.Differences {
			fmt.Fprintf(&b, "  %s %s %s\n", d.Subject, d.Change, d.Detail)
		}
	}
	return b.String()
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}
