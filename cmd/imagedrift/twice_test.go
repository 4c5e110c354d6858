package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/build/buildtest"
	"github.com/imagedrift/imagedrift/internal/report"
)

// TestBuildTwice: build --twice of a Dockerfile that writes its build
// date reports the two builds, the file among the timestamps, and fails
// only when --fail-on names not-reproducible.
func TestBuildTwice(t *testing.T) {
	buildEnv(t)
	base := buildtest.Base(t)
	repo := buildtest.NewRepo(t)
	repo.Write(map[string]string{"Dockerfile": "FROM " + base + "\nRUN date '+%Y-%m-%dT%H:%M:%S.%N' > /build-date\n"})
	repo.Commit("date")

	code, stdout, stderr := runCLI(t, "build", "--twice", "--repo", repo.Dir, "--format", "json", "--fail-on", "not-reproducible")
	if code != 1 || !strings.Contains(stderr, "policy failed (--fail-on not-reproducible)") {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	var rep report.Report
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	r := rep.Reproducibility
	if r == nil || r.Reproducible || len(r.Causes) == 0 || !strings.HasSuffix(rep.Base.Ref, "(first build)") || !strings.HasSuffix(rep.Head.Ref, "(second build)") {
		t.Fatalf("report %+v, reproducibility %+v", rep.Base, r)
	}
	found := false
	for _, c := range r.Causes {
		for _, d := range c.Differences {
			found = found || (d.Subject == "/build-date" && c.Cause == report.ReproTimestamps)
		}
	}
	if !found {
		t.Errorf("/build-date not among the timestamps: %+v", r.Causes)
	}

	code, stdout, stderr = runCLI(t, "build", "--twice", "--repo", repo.Dir)
	if code != 0 || !strings.Contains(stdout, "not reproducible: two builds") || !strings.Contains(stdout, "/build-date") {
		t.Errorf("text: exit %d, stdout:\n%s\nstderr: %s", code, stdout, stderr)
	}
}
