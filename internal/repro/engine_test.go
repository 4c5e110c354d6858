package repro

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/imagedrift/imagedrift/internal/build"
	"github.com/imagedrift/imagedrift/internal/build/buildtest"
	"github.com/imagedrift/imagedrift/internal/drift"
	"github.com/imagedrift/imagedrift/internal/report"
	"github.com/imagedrift/imagedrift/internal/risk"
)

// check builds the repository's head twice with the docker binary given
// ("" is the one on PATH) and returns the classification.
func check(t *testing.T, repo *buildtest.Repo, docker string) *Result {
	t.Helper()
	var log strings.Builder
	start := time.Now()
	res, err := Check(context.Background(), Options{Build: build.Options{RepoDir: repo.Dir, WorkDir: t.TempDir(), Log: &log, Docker: docker}})
	if err != nil {
		t.Fatalf("Check: %v\n%s", err, log.String())
	}
	t.Logf("%s: two builds and the check in %s", res.Twice.Builder, time.Since(start).Round(100*time.Millisecond))
	return res
}

// causeOf returns the cause a subject was put under, "" if none.
func causeOf(r *report.Reproducibility, subject string) string {
	for _, c := range r.Causes {
		for _, d := range c.Differences {
			if d.Subject == subject {
				return c.Cause
			}
		}
	}
	return ""
}

// TestBuildWritesTheDate: a RUN that writes the date into a file is not
// reproducible, and the report names the file, as a date written into it.
func TestBuildWritesTheDate(t *testing.T) {
	base := buildtest.Base(t)
	repo := buildtest.NewRepo(t)
	repo.Write(map[string]string{"Dockerfile": "FROM " + base + "\nRUN date '+%Y-%m-%d %H:%M:%S.%N' > /build-date\n"})
	repo.Commit("date")
	res := check(t, repo, "")
	r := res.Reproducibility
	if r.Reproducible || r.First == r.Second {
		t.Fatalf("reproducible: %+v", r)
	}
	t.Logf("%s", drift.ReproSection(r).Body)
	if got := causeOf(r, "/build-date"); got != report.ReproTimestamps {
		t.Errorf("/build-date under %q, want timestamps (a date written into it); causes %+v", got, r.Causes)
	}
	risks := drift.ReproRisks(res.Reproducibility)
	if len(risks) == 0 || !strings.Contains(risks[0].Message, "/build-date") || risks[0].Level != risk.Low {
		t.Errorf("risks %+v, want a low not-reproducible naming /build-date", risks)
	}
}

// TestReproducibleDockerfile: a Dockerfile that copies nothing built
// gives the same image twice with BuildKit; the legacy builder dates every
// image it makes, and the check says that is all.
func TestReproducibleDockerfile(t *testing.T) {
	base := buildtest.Base(t)
	for _, df := range []string{"FROM " + base + "\n", "FROM " + base + "\nLABEL org.example.purpose=test\nENV MODE=prod\nUSER nobody\n"} {
		repo := buildtest.NewRepo(t)
		repo.Write(map[string]string{"Dockerfile": df})
		repo.Commit("metadata only")
		for _, docker := range dockerClients(t) {
			res := check(t, repo, docker)
			r := res.Reproducibility
			legacy := strings.Contains(res.Twice.Builder, "legacy")
			switch {
			case r.Reproducible:
				if r.First != r.Second || len(r.Causes) != 0 {
					t.Errorf("%s: reproducible with %+v", docker, r)
				}
			case legacy && strings.Count(df, "\n") > 1:
				if len(r.Causes) != 1 || r.Causes[0].Cause != report.ReproTimestamps || causeOf(r, "config:created") == "" {
					t.Errorf("%s, %s: causes %+v, want the image's creation time only", docker, res.Twice.Builder, r.Causes)
				}
			default:
				t.Errorf("%s, %s: %q not reproducible: %+v", docker, res.Twice.Builder, df, r.Causes)
			}
		}
	}
}

// TestBuildGeneratesAnSSHKey: a host key made during the build is a
// generated secret, a high risk. The base has no ssh-keygen: a small
// static program, compiled here, writes an Ed25519 private key as
// ssh-keygen -A would, in PEM (PKCS #8).
func TestBuildGeneratesAnSSHKey(t *testing.T) {
	base := buildtest.Base(t)
	repo := buildtest.NewRepo(t)
	repo.Write(map[string]string{"Dockerfile": "FROM " + base + "\nCOPY keygen /usr/local/bin/keygen\n" +
		"RUN [\"/usr/local/bin/keygen\", \"/etc/ssh/ssh_host_ed25519_key\"]\n"})
	keygen(t, filepath.Join(repo.Dir, "keygen"))
	repo.Commit("host key")
	res := check(t, repo, "")
	r := res.Reproducibility
	if got := causeOf(r, "/etc/ssh/ssh_host_ed25519_key"); got != report.ReproGeneratedSecret {
		t.Fatalf("the host key is under %q, want generated-secret; causes %+v", got, r.Causes)
	}
	if risks := drift.ReproRisks(res.Reproducibility); len(risks) == 0 || risks[0].Level != risk.High || risks[0].Subject != report.ReproGeneratedSecret {
		t.Errorf("risks %+v, want a high not-reproducible for the generated secret first", risks)
	}
}

const keygenSource = `package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"os"
)

func main() {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		panic(err)
	}
	if err := os.MkdirAll("/etc/ssh", 0o755); err != nil {
		panic(err)
	}
	if err := os.WriteFile(os.Args[1], pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		panic(err)
	}
}
`

// keygen compiles keygenSource into a static Linux program at out.
func keygen(t *testing.T, out string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(keygenSource), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module keygen\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	cmd := exec.Command(gobin, "build", "-trimpath", "-o", out, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH, "GOFLAGS=-mod=mod", "GOWORK=off")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("compile the key generator: %v\n%s", err, b)
	}
}

// dockerClients lists the distinct docker binaries on PATH: each stands
// for a builder (one with buildx, an old client with BuildKit, a new one
// without).
func dockerClients(t *testing.T) []string {
	seen := map[string]bool{}
	var out []string
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		real, err := filepath.EvalSymlinks(filepath.Join(dir, "docker"))
		if err != nil || seen[real] {
			continue
		}
		seen[real] = true
		out = append(out, real)
	}
	slices.Sort(out)
	return out
}
