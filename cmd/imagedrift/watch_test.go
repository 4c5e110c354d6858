package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imagedrift/imagedrift/internal/build/buildtest"
	"github.com/imagedrift/imagedrift/internal/report"
)

// debianFile reads a real Debian file kept as test data by the build and
// action stages.
func debianFile(t *testing.T, name string) string {
	t.Helper()
	for _, dir := range []string{"../../internal/build/testdata", "../../internal/action/testdata"} {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
			return string(b)
		}
	}
	t.Fatalf("no test data %s", name)
	return ""
}

// deployedRepo is a repository whose image was deployed (saved to an
// archive) at its first commit; its second commit builds a newer tzdata
// and a new file, as an unpinned install would on a later day.
func deployedRepo(t *testing.T) (repo *buildtest.Repo, deployed string) {
	t.Helper()
	repo = buildtest.NewRepo(t)
	repo.Write(map[string]string{
		"Dockerfile":                 "FROM scratch\nCOPY rootfs/ /\n",
		"rootfs/etc/os-release":      debianFile(t, "os-release"),
		"rootfs/var/lib/dpkg/status": debianFile(t, "status-hostname") + debianFile(t, "status-tzdata-2025b"),
	})
	repo.Commit("deployed")
	tag := "imagedrift-test/deployed:" + strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-")) + "-" + time.Now().Format("150405.000000000")
	tag = strings.ReplaceAll(tag, ".", "")
	dockerRun(t, "build", "-q", "-t", tag, repo.Dir)
	t.Cleanup(func() { exec.Command("docker", "image", "rm", "-f", tag).Run() })
	deployed = filepath.Join(t.TempDir(), "deployed.tar")
	dockerRun(t, "image", "save", "-o", deployed, tag)
	repo.Write(map[string]string{
		"rootfs/var/lib/dpkg/status": debianFile(t, "status-hostname") + debianFile(t, "status-tzdata-2026f") + debianFile(t, "status-debianutils"),
		"rootfs/srv/app/added.txt":   "new\n",
	})
	repo.Commit("a week later")
	return repo, "docker-archive:" + deployed
}

// TestWatchInventoryReference: the reference given as the inventory an
// earlier `imagedrift inventory --format json` wrote gives the same report,
// byte for byte, as the image itself.
func TestWatchInventoryReference(t *testing.T) {
	buildEnv(t)
	buildtest.RequireDocker(t)
	repo, deployed := deployedRepo(t)
	inv := filepath.Join(t.TempDir(), "deployed.json")
	if code, _, stderr := runCLI(t, "inventory", deployed, "--format", "json", "--output", inv); code != 0 {
		t.Fatalf("inventory: exit %d: %s", code, stderr)
	}
	// The same fresh build for both runs, so that only the reference's
	// form differs.
	code, refs, stderr := runCLI(t, "build", "--repo", repo.Dir, "--base-image", deployed, "--print-refs", "--work-dir", t.TempDir())
	if code != 0 {
		t.Fatalf("build: exit %d: %s", code, stderr)
	}
	head := strings.TrimSpace(strings.SplitN(refs, "head=", 2)[1])
	var outs []string
	for _, ref := range []string{deployed, "inventory:" + inv} {
		code, stdout, stderr := runCLI(t, "watch", ref, "--repo", repo.Dir, "--head-image", head, "--format", "json")
		if code != 0 {
			t.Fatalf("watch %s: exit %d: %s", ref, code, stderr)
		}
		outs = append(outs, stdout)
	}
	if outs[0] != outs[1] {
		t.Errorf("the inventory gives another report than the image:\nimage:\n%s\ninventory:\n%s", outs[0], outs[1])
	}
	var rep report.Report
	if err := json.Unmarshal([]byte(outs[0]), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Drift == nil || !rep.Drift.Drifted || len(rep.Packages.Changed) != 1 || rep.Packages.Changed[0].Name != "tzdata" {
		t.Errorf("drift %+v, package changes %+v", rep.Drift, rep.Packages.Changed)
	}
}

// TestWatchFreshBuild builds the checkout fresh and names what drifted
// since the deployed image; fail-on turns the drift into exit 1.
func TestWatchFreshBuild(t *testing.T) {
	buildEnv(t)
	buildtest.RequireDocker(t)
	repo, deployed := deployedRepo(t)
	start := time.Now()
	code, stdout, stderr := runCLI(t, "watch", deployed, "--repo", repo.Dir)
	t.Logf("watch: fresh build and report in %s", time.Since(start).Round(100*time.Millisecond))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"drift\n", "OS packages", "tzdata 2025b-0+deb12u1 → 2026f-0+deb12u1", "Files"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("text report lacks %q:\n%s", want, stdout)
		}
	}
	code, stdout, stderr = runCLI(t, "watch", deployed, "--repo", repo.Dir, "--format", "markdown", "--fail-on", "files-increase,minor-bump,low")
	if code != 2 || !strings.Contains(stderr, "minor-bump") {
		t.Errorf("an unknown fail-on term: exit %d, %s", code, stderr)
	}
	code, stdout, stderr = runCLI(t, "watch", deployed, "--repo", repo.Dir, "--format", "markdown", "--fail-on", "low")
	if code != 1 || !strings.Contains(stdout, "#### What drifted") || !strings.Contains(stderr, "policy failed") {
		t.Errorf("fail-on low: exit %d, stderr %s\n%s", code, stderr, stdout)
	}
}

func TestWatchUsage(t *testing.T) {
	buildEnv(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"watch"}, "watch takes one REFERENCE"},
		{[]string{"watch", "a", "b"}, "watch takes one REFERENCE"},
		{[]string{"watch", "a", "--format", "sarif"}, "--format \"sarif\""},
		{[]string{"watch", "a", "--fail-on", "vulnerability-introduced"}, "add --vulns"},
	} {
		code, _, stderr := runCLI(t, tt.args...)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
}
