package selfcheck

import (
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// standIn is what the tests serve as a released binary: a script that
// answers `version` and leaves a mark, so a test can tell whether it ran.
const standIn = "#!/bin/sh\ntouch \"$(dirname \"$0\")/ran\"\necho \"imagedrift v1.2.3 (a stand-in)\"\n"

// releaseServer serves release assets by path, like the releases' download
// URL; it counts the requests, answers 404 for anything it does not hold,
// and holds a request to a slow path until the client gives up.
type releaseServer struct {
	*httptest.Server
	mu       sync.Mutex
	assets   map[string]string
	slow     bool
	requests []string
}

func newReleaseServer(t *testing.T, assets map[string]string) *releaseServer {
	s := &releaseServer{assets: assets}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests = append(s.requests, r.URL.Path)
		body, ok := s.assets[r.URL.Path]
		slow := s.slow
		s.mu.Unlock()
		if slow {
			select {
			case <-r.Context().Done():
			case <-time.After(20 * time.Second):
			}
			return
		}
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *releaseServer) got() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

// fakeAction makes the smallest tree download.sh works in: its scripts
// from this repository, a Go source to hash, and a release.env naming
// version with that source's hash and checksums.txt (sums: asset → SHA-256).
func fakeAction(t *testing.T, version string, sums map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "go.mod"), "module example.com/x\n\ngo 1.26\n")
	write(t, filepath.Join(dir, "go.sum"), "")
	write(t, filepath.Join(dir, "cmd", "imagedrift", "main.go"), "package main\n\nfunc main() {}\n")
	for _, f := range []string{"download.sh", "build.sh"} {
		b, err := os.ReadFile(filepath.Join(root, ".github", "release", f))
		if err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(dir, ".github", "release", f), string(b))
	}
	if version != "" {
		writeRelease(t, dir, version, sums)
	}
	return dir
}

// writeRelease writes what build.sh prepare would: release.env for the
// tree's current source, and the checksums.
func writeRelease(t *testing.T, dir, version string, sums map[string]string) {
	t.Helper()
	out, err := exec.Command("bash", filepath.Join(dir, ".github", "release", "build.sh"), "source-hash", dir).Output()
	if err != nil {
		t.Fatalf("build.sh source-hash: %v", err)
	}
	write(t, filepath.Join(dir, ".github", "release", "release.env"),
		"version="+version+"\nsource="+strings.TrimSpace(string(out))+"\ngo=go1.26.8\n")
	var lines []string
	for asset, sum := range sums {
		lines = append(lines, sum+"  "+asset)
	}
	write(t, filepath.Join(dir, ".github", "release", "checksums.txt"), strings.Join(lines, "\n")+"\n")
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// cleanEnv is the test's environment without what a runner or a workflow
// would set, so a run inside GitHub Actions tests the same thing.
func cleanEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "GITHUB_") || strings.HasPrefix(k, "RUNNER_") || strings.HasPrefix(k, "IMAGEDRIFT_") || strings.HasPrefix(k, "INPUT_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, extra...)
}

type downloadRun struct {
	code    int
	log     string
	outputs map[string]string
	took    time.Duration
	cliDir  string
}

// runDownload runs download.sh in dir as the action's step does.
func runDownload(t *testing.T, dir string, env ...string) downloadRun {
	t.Helper()
	tmp := t.TempDir()
	r := downloadRun{cliDir: filepath.Join(tmp, "cli")}
	output := filepath.Join(tmp, "output")
	cmd := exec.Command("bash", filepath.Join(dir, ".github", "release", "download.sh"))
	cmd.Dir = dir
	cmd.Env = cleanEnv(append([]string{"CLI_DIR=" + r.cliDir, "GITHUB_OUTPUT=" + output, "RUNNER_OS=Linux", "RUNNER_ARCH=X64"}, env...)...)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	r.took = time.Since(start)
	r.log = string(out)
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	r.outputs = readOutputs(t, output)
	return r
}

func readOutputs(t *testing.T, path string) map[string]string {
	t.Helper()
	out := map[string]string{}
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return out
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			out[k] = v
		}
	}
	return out
}

// closedURL is an http URL on a local port nothing listens on.
func closedURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

// pathWithout is PATH with every command but the named ones, as links in
// one folder: a runner without sha256sum, like macOS's.
func pathWithout(t *testing.T, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, p := range filepath.SplitList(os.Getenv("PATH")) {
		entries, _ := os.ReadDir(p)
		for _, e := range entries {
			name := e.Name()
			skip := false
			for _, n := range names {
				skip = skip || name == n
			}
			if skip {
				continue
			}
			if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
				continue // the first one on PATH wins, as for the shell
			}
			_ = os.Symlink(filepath.Join(p, name), filepath.Join(dir, name))
		}
	}
	return dir
}

// TestDownload runs download.sh against a local release server: which refs
// take a release, that a binary is run only once its SHA-256 is the
// committed one, that a mismatch fails the step, and that every other
// failure (404, a slow or unreachable server) falls back to the source
// build, saying so.
func TestDownload(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not on PATH")
	}
	good := map[string]string{
		"imagedrift_linux_amd64":  sum(standIn),
		"imagedrift_linux_arm64":  sum(standIn), // listed, but not served: a missing asset
		"imagedrift_darwin_arm64": sum(standIn),
	}
	served := map[string]string{
		"/v1.2.3/imagedrift_linux_amd64":  standIn,
		"/v1.2.3/imagedrift_darwin_arm64": standIn,
	}
	for _, tc := range []struct {
		name     string
		version  string            // release.env's version; "" for none
		sums     map[string]string // committed checksums (default good)
		ref      string
		env      []string
		slow     bool
		noServer bool
		edit     bool // change the source after release.env was written

		code      int
		installed string
		log       []string // all in the log
		quiet     bool     // no warning: building from source is what this ref does
		requests  []string // nil: none
	}{
		{name: "release tag", version: "v1.2.3", ref: "v1.2.3", installed: "true",
			log:      []string{"downloaded imagedrift_linux_amd64 of release v1.2.3 and verified its SHA-256 (" + sum(standIn) + ")", "imagedrift v1.2.3 (a stand-in)"},
			requests: []string{"/v1.2.3/imagedrift_linux_amd64"}},
		{name: "major tag moved onto the release", version: "v1.2.3", ref: "v1", installed: "true",
			log: []string{"of release v1.2.3 and verified"}, requests: []string{"/v1.2.3/imagedrift_linux_amd64"}},
		{name: "minor tag moved onto the release", version: "v1.2.3", ref: "v1.2", installed: "true",
			requests: []string{"/v1.2.3/imagedrift_linux_amd64"}},
		{name: "macOS on arm64, shasum and no sha256sum", version: "v1.2.3", ref: "v1.2.3", installed: "true",
			env:      []string{"RUNNER_OS=macOS", "RUNNER_ARCH=ARM64", "PATH=" + pathWithout(t, "sha256sum")},
			requests: []string{"/v1.2.3/imagedrift_darwin_arm64"}},
		{name: "wrong checksum", version: "v1.2.3", ref: "v1.2.3", code: 1,
			sums:     map[string]string{"imagedrift_linux_amd64": sum("another binary")},
			log:      []string{"::error title=imagedrift binary rejected::", "has SHA-256 " + sum(standIn), "is " + sum("another binary"), "The binary was not run"},
			requests: []string{"/v1.2.3/imagedrift_linux_amd64"}},
		{name: "missing asset", version: "v1.2.3", ref: "v1.2.3", env: []string{"RUNNER_ARCH=ARM64"}, installed: "false",
			log:      []string{"::warning title=imagedrift built from source::no imagedrift_linux_arm64 in release v1.2.3", "HTTP 404", "imagedrift: building from source:"},
			requests: []string{"/v1.2.3/imagedrift_linux_arm64"}},
		{name: "slow server", version: "v1.2.3", ref: "v1.2.3", slow: true, env: []string{"IMAGEDRIFT_DOWNLOAD_TIMEOUT=1"}, installed: "false",
			log:      []string{"::warning", "timed out after", "(limit 1s)", "building from source"},
			requests: []string{"/v1.2.3/imagedrift_linux_amd64"}},
		{name: "unreachable server", version: "v1.2.3", ref: "v1", noServer: true, installed: "false",
			log: []string{"::warning", "the download of http://127.0.0.1:", "failed after", "building from source"}},
		{name: "commit SHA", version: "v1.2.3", ref: "0123456789abcdef0123456789abcdef01234567", installed: "false", quiet: true,
			log: []string{"building from source: ref 0123456789abcdef0123456789abcdef01234567 is not a release tag"}},
		{name: "branch", version: "v1.2.3", ref: "main", installed: "false", log: []string{"ref main is not a release tag"}},
		{name: "local action", version: "v1.2.3", ref: "", installed: "false", log: []string{"no action ref"}},
		{name: "another major series", version: "v1.2.3", ref: "v2", installed: "false",
			log: []string{"the action at v2 was prepared as v1.2.3, which is not a v2 release"}},
		{name: "tag not prepared", version: "v1.2.3", ref: "v1.2.4", installed: "false",
			log: []string{"::warning", "the action at v1.2.4 carries the checksums of v1.2.3, not of v1.2.4"}},
		{name: "source changed since the release", version: "v1.2.3", ref: "v1", edit: true, installed: "false", quiet: true,
			log: []string{"the action's source at v1 is not the source v1.2.3 was built from"}},
		{name: "release tag on other source", version: "v1.2.3", ref: "v1.2.3", edit: true, installed: "false",
			log: []string{"::warning", "the action's source at v1.2.3 is not the source v1.2.3 was built from"}},
		{name: "no release prepared", ref: "v1", installed: "false", quiet: true,
			log: []string{"the action at v1 names no release (no .github/release/release.env)"}},
		{name: "Windows", version: "v1.2.3", ref: "v1.2.3", env: []string{"RUNNER_OS=Windows"}, installed: "false",
			log: []string{"v1.2.3 has no binary for Windows/X64"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sums := tc.sums
			if sums == nil {
				sums = good
			}
			dir := fakeAction(t, tc.version, sums)
			if tc.edit {
				write(t, filepath.Join(dir, "cmd", "imagedrift", "main.go"), "package main\n\nfunc main() { println() }\n")
			}
			srv := newReleaseServer(t, served)
			srv.slow = tc.slow
			base := srv.URL
			if tc.noServer {
				base = closedURL(t)
			}
			r := runDownload(t, dir, append([]string{"IMAGEDRIFT_REF=" + tc.ref, "IMAGEDRIFT_RELEASE_URL=" + base}, tc.env...)...)
			if r.code != tc.code || r.outputs["installed"] != tc.installed {
				t.Fatalf("exit %d, installed=%q; want exit %d, installed=%q\n%s", r.code, r.outputs["installed"], tc.code, tc.installed, r.log)
			}
			for _, want := range tc.log {
				if !strings.Contains(r.log, want) {
					t.Errorf("the log lacks %q:\n%s", want, r.log)
				}
			}
			if tc.quiet && strings.Contains(r.log, "::warning") {
				t.Errorf("a warning where building from source is expected:\n%s", r.log)
			}
			if got := srv.got(); strings.Join(got, " ") != strings.Join(tc.requests, " ") {
				t.Errorf("requests %q, want %q", got, tc.requests)
			}
			// Installed means the verified bytes are in place and ran;
			// otherwise nothing is left behind, and nothing ran.
			bin, err := os.ReadFile(filepath.Join(r.cliDir, "imagedrift"))
			_, ranErr := os.Stat(filepath.Join(r.cliDir, "ran"))
			if tc.installed == "true" {
				if err != nil || string(bin) != standIn || ranErr != nil {
					t.Errorf("installed, but the binary is %q (%v), ran: %v", bin, err, ranErr == nil)
				}
			} else {
				if err == nil || ranErr == nil {
					t.Errorf("not installed, but a binary is in place (ran: %v)", ranErr == nil)
				}
				if left, _ := filepath.Glob(filepath.Join(r.cliDir, ".imagedrift.download*")); len(left) > 0 {
					t.Errorf("left behind %v", left)
				}
			}
			t.Logf("%v:\n%s", r.took.Round(time.Millisecond), r.log)
			if tc.slow && r.took > 8*time.Second {
				t.Errorf("a 1 s timeout took %v", r.took)
			}
		})
	}
}
