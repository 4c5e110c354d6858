package action

import (
	"context"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/analysis"
	"github.com/imagedrift/imagedrift/internal/build"
	"github.com/imagedrift/imagedrift/internal/drift"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/load"
	"github.com/imagedrift/imagedrift/internal/report"
	"github.com/imagedrift/imagedrift/internal/repro"
)

// fakeRepro stands for the two builds: the first is the head compared,
// and they differ in a generated host key.
func fakeRepro(t *testing.T, got *repro.Options) func(context.Context, repro.Options) (*repro.Result, error) {
	return func(_ context.Context, o repro.Options) (*repro.Result, error) {
		*got = o
		first := build.Side{Ref: "docker-archive:/work/first.tar", Commit: headSHA, Built: true}
		return &repro.Result{
			Twice: &build.TwiceResult{First: first, Second: build.Side{Ref: "docker-archive:/work/second.tar", Commit: headSHA, Built: true},
				Epoch: "1764460000", Builder: "docker buildx build"},
			Reproducibility: &report.Reproducibility{First: "sha256:" + strings.Repeat("a", 64), Second: "sha256:" + strings.Repeat("b", 64),
				SourceDateEpoch: 1764460000, Builder: "docker buildx build", Causes: []report.ReproCause{{Cause: report.ReproGeneratedSecret, Count: 1,
					Differences: []report.ReproDifference{{Subject: "/etc/ssh/ssh_host_ed25519_key", Change: "content"}}, Lint: []report.Finding{}}}},
		}, nil
	}
}

// TestReproducibleInput: with reproducible: true the head is built twice
// (fresh, from the event's checkout), the first build is the head that is
// diffed, and the report carries the classification, its risk, its
// section and the reproducible output; the comment phase renders the
// section again from the JSON.
func TestReproducibleInput(t *testing.T) {
	env, o, srv, f, _ := dependabotRun(t)
	env.input("reproducible", "true")
	var got repro.Options
	o.repro = fakeRepro(t, &got)
	inner := o.build
	o.build = func(ctx context.Context, bo build.Options) (*build.Result, error) {
		if bo.HeadImage != "docker-archive:/work/first.tar" {
			t.Errorf("head image %q: the first of the two builds should stand for the head", bo.HeadImage)
		}
		return inner(ctx, bo)
	}
	o.load = func(_ context.Context, base, head string, _ load.Options) (*inventory.Inventory, *inventory.Inventory, error) {
		if head != "docker-archive:/work/first.tar" {
			t.Errorf("head %q read, want the first build", head)
		}
		return f.base, f.head, nil
	}
	if err := Run(context.Background(), *o); err != nil {
		t.Fatalf("Run: %v\n%s", err, env.stdout.String())
	}
	if got.Build.RepoDir == "" || got.Build.HeadImage != "" || got.Build.Dockerfile != "Dockerfile" {
		t.Errorf("repro options %+v", got.Build)
	}
	out := env.outputs()
	if out["reproducible"] != "false" {
		t.Errorf("outputs %v", out)
	}
	var rep report.Report
	readJSON(t, out["report"], &rep)
	if rep.Reproducibility == nil || !strings.Contains(env.summary(), "#### Reproducibility") {
		t.Fatalf("no reproducibility in the report or the summary:\n%s", env.summary())
	}
	found := false
	for _, r := range rep.Risks {
		found = found || (r.ID == "not-reproducible" && r.Level == "high" && r.Subject == report.ReproGeneratedSecret)
	}
	if !found {
		t.Errorf("risks %+v, want a high not-reproducible", rep.Risks)
	}
	if c := srv.Comments(testRepo, 7); len(c) != 1 || !strings.Contains(c[0].Body, "ssh\\_host\\_ed25519\\_key") && !strings.Contains(c[0].Body, "ssh_host_ed25519_key") {
		t.Errorf("comment lacks the section: %+v", c)
	}

	// The comment phase renders it from the report read back.
	sections, err := analysis.Sections(context.Background(), &rep, []analysis.Contributor{drift.ReproSections()})
	if err != nil || len(sections) != 1 || sections[0].Title != "Reproducibility" {
		t.Errorf("sections from the JSON: %+v, %v", sections, err)
	}
}
