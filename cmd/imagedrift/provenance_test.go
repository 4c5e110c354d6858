package main

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/build/buildtest"
	"github.com/imagedrift/imagedrift/internal/fixtures"
	"github.com/imagedrift/imagedrift/internal/report"
)

// provenanceDockerfile builds on the big-c fixture: a static binary
// copied in, a packaged file and a conffile edited with sed, a pip
// package installed outside dpkg.
const provenanceDockerfile = `FROM %s
COPY hello /usr/local/bin/hello
RUN sed -i 's/^__title__ = .*/__title__ = "patched"/' /usr/lib/python3/dist-packages/requests/__version__.py && \
    sed -i '1i # edited' /etc/bash.bashrc
COPY demo-1.0-py3-none-any.whl /tmp/
RUN pip install --no-index --no-deps --break-system-packages /tmp/demo-1.0-py3-none-any.whl && \
    rm /tmp/demo-1.0-py3-none-any.whl
`

// TestProvenanceOfABuiltImage builds an image on the local Docker engine
// FROM the big-c fixture's root file system (docker import: nothing can
// be pulled) and diffs it with the fixture: each change is reported with
// its risk id and the Dockerfile line that made it. The copied binary is
// a Go program: the build information it carries names its modules, but
// no package manager installed it.
func TestProvenanceOfABuiltImage(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: imports and builds a 1 GB image")
	}
	buildtest.RequireDocker(t)
	rootfs := fixtures.Require(t, "layers", "big-c.tar")
	baseArchive := fixtures.Require(t, "images", "big-c.docker.tar")
	dir := t.TempDir()
	suffix := randomTag(t)
	from := "imagedrift-test/big-c:" + suffix
	head := "imagedrift-test/provenance:" + suffix
	dockerRun(t, "import", rootfs, from)
	t.Cleanup(func() { exec.Command("docker", "rmi", "-f", head, from).Run() })
	staticBinary(t, filepath.Join(dir, "hello"))
	writeWheel(t, filepath.Join(dir, "demo-1.0-py3-none-any.whl"))
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(fmt.Sprintf(provenanceDockerfile, from)), 0o644); err != nil {
		t.Fatal(err)
	}
	dockerRun(t, "build", "-q", "-t", head, dir)
	headArchive := filepath.Join(dir, "head.tar")
	dockerRun(t, "image", "save", "-o", headArchive, head)

	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"diff", baseArchive, headArchive, "--dockerfile", filepath.Join(dir, "Dockerfile"),
		"--format", "json"}, defaultDeps(), streams{Out: &out, Err: &errb})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var rep report.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	risks := map[string]string{}
	for _, r := range rep.Risks {
		risks[r.ID+" "+r.Subject] = r.Message
	}
	df := filepath.ToSlash(filepath.Join(dir, "Dockerfile"))
	for key, line := range map[string]int{
		"unowned-executable /usr/local/bin/hello":                                      2,
		"package-file-modified /usr/lib/python3/dist-packages/requests/__version__.py": 3,
		"conffile-modified /etc/bash.bashrc":                                           3,
		"package-added python:demo":                                                    0,
	} {
		msg, ok := risks[key]
		if !ok {
			t.Errorf("no risk %s; the risks are %v", key, risks)
			continue
		}
		if want := fmt.Sprintf("from %s:%d", df, line); line > 0 && !strings.HasSuffix(msg, want) {
			t.Errorf("%s: %q, want it to end %q", key, msg, want)
		}
	}
	// pip's own files are python:demo's, its console script included.
	for key := range risks {
		if strings.HasPrefix(key, "unowned-executable ") && key != "unowned-executable /usr/local/bin/hello" {
			t.Errorf("unexpected %s: %s", key, risks[key])
		}
	}
	for _, p := range rep.Packages.Added {
		if p.Ecosystem == "python" && p.Name == "demo" && (p.Origin == nil || p.Origin.Line != 6 || p.Origin.Dockerfile != df) {
			t.Errorf("python:demo came from %+v, want %s:6", p.Origin, df)
		}
	}
}

func randomTag(t *testing.T) string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func dockerRun(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("docker", args...).CombinedOutput(); err != nil {
		t.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// staticBinary builds a Go program without cgo: a static ELF executable,
// what a COPY of a downloaded tool puts in an image.
func staticBinary(t *testing.T, out string) {
	t.Helper()
	src := t.TempDir()
	for name, body := range map[string]string{
		"go.mod":  "module hello\n\ngo 1.22\n",
		"main.go": "package main\n\nfunc main() { println(\"hello\") }\n",
	} {
		if err := os.WriteFile(filepath.Join(src, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "build", "-o", out, ".")
	cmd.Dir, cmd.Env = src, append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64", "GOFLAGS=")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
}

// writeWheel writes a pure-Python wheel of the package demo 1.0 with a
// console script, its RECORD listing every file with its digest.
func writeWheel(t *testing.T, out string) {
	t.Helper()
	files := [][2]string{
		{"demo/__init__.py", "def main():\n    print('demo')\n"},
		{"demo-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n"},
		{"demo-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\nGenerator: imagedrift-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"},
		{"demo-1.0.dist-info/entry_points.txt", "[console_scripts]\ndemo = demo:main\n"},
	}
	var record strings.Builder
	for _, f := range files {
		sum := sha256.Sum256([]byte(f[1]))
		fmt.Fprintf(&record, "%s,sha256=%s,%d\n", f[0], base64.RawURLEncoding.EncodeToString(sum[:]), len(f[1]))
	}
	record.WriteString("demo-1.0.dist-info/RECORD,,\n")
	files = append(files, [2]string{"demo-1.0.dist-info/RECORD", record.String()})
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f[0])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(f[1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
