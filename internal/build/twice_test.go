package build

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/build/buildtest"
)

func TestFreshBuildCommandLine(t *testing.T) {
	o := &Options{Pull: true, NoCache: true, SourceDateEpoch: "1764460000", BuildArgs: []string{"TOKEN=s3cret"}}
	s := spec{side: "first", dockerfile: "/w/Dockerfile", context: "/w", archive: "/w/a.tar", o: o}
	tests := []struct {
		name   string
		b      builder
		output string
	}{
		{"legacy", builder{}, ""},
		{"buildx, docker driver", builder{buildx: true, load: true, kitVersion: "v0.13.2"}, "--load"},
		{"buildx, old BuildKit", builder{buildx: true, kitVersion: "v0.12.5"}, "--output=type=docker,dest=/w/a.tar"},
		{"buildx, BuildKit 0.13", builder{buildx: true, kitVersion: "v0.13.0"}, "--output=type=docker,dest=/w/a.tar,rewrite-timestamp=true"},
		{"buildx, unknown BuildKit", builder{buildx: true}, "--output=type=docker,dest=/w/a.tar"},
	}
	for _, tt := range tests {
		args := tt.b.buildArgs(s, "t:first")
		for _, want := range []string{"--pull", "--no-cache", "--build-arg=SOURCE_DATE_EPOCH=1764460000"} {
			if !slices.Contains(args, want) {
				t.Errorf("%s: %q lacks %s", tt.name, args, want)
			}
		}
		if tt.output != "" && !slices.Contains(args, tt.output) {
			t.Errorf("%s: %q lacks %s", tt.name, args, tt.output)
		}
		red := strings.Join(redactArgs(args), " ")
		if !strings.Contains(red, "SOURCE_DATE_EPOCH=1764460000") || strings.Contains(red, "s3cret") {
			t.Errorf("%s: redacted %q: the epoch is no secret, the token is", tt.name, red)
		}
	}
}

func TestBuildxKitVersion(t *testing.T) {
	for in, want := range map[string]string{
		"Name: default\nDriver: docker\nBuildKit version: v0.8+unknown\n": "v0.8+unknown",
		"Driver: docker-container\n Buildkit:  v0.9.3\n":                  "v0.9.3",
		"Driver: docker\n": "",
	} {
		if got := buildxKitVersion(in); got != want {
			t.Errorf("buildxKitVersion(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTwiceNeedsACommit(t *testing.T) {
	dir := t.TempDir()
	_, err := Twice(context.Background(), Options{RepoDir: dir, WorkDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "SOURCE_DATE_EPOCH") {
		t.Errorf("error %v, want one saying a commit or SOURCE_DATE_EPOCH is needed", err)
	}
	_, err = Twice(context.Background(), Options{RepoDir: dir, WorkDir: t.TempDir(), SourceDateEpoch: "-1"})
	if err == nil || !strings.Contains(err.Error(), "decimal seconds") {
		t.Errorf("error %v, want a bad SOURCE_DATE_EPOCH", err)
	}
}

// TestTwice builds a repository's head twice with every builder: two
// archives, dated by the commit.
func TestTwice(t *testing.T) {
	buildtest.RequireDocker(t)
	repo := buildtest.NewRepo(t)
	repo.Write(map[string]string{"Dockerfile": "FROM scratch\nCOPY a.txt /a.txt\n", "a.txt": "a\n"})
	commit := repo.Commit("one file")
	epoch := buildtest.Git(t, repo.Dir, "log", "-1", "--format=%ct")
	for _, docker := range dockerClients(t) {
		t.Run(docker, func(t *testing.T) {
			var log syncBuffer
			res, err := Twice(context.Background(), Options{RepoDir: repo.Dir, WorkDir: t.TempDir(), Docker: docker, Log: &log})
			if err != nil {
				t.Fatalf("Twice: %v\n%s", err, log.String())
			}
			if res.First.Ref == res.Second.Ref || res.First.Commit != commit || !res.Second.Built || res.Epoch != epoch || res.Builder == "" {
				t.Errorf("result %+v, want two archives of %s dated %s", res, commit, epoch)
			}
			out := log.String()
			for _, want := range []string{"==> Build first image", "==> Build second image", "--no-cache", "SOURCE_DATE_EPOCH=" + epoch} {
				if !strings.Contains(out, want) {
					t.Errorf("log lacks %q:\n%s", want, out)
				}
			}
			for _, s := range []Side{res.First, res.Second} {
				if buildtest.Files(t, buildtest.Open(t, s.Ref))["a.txt"] != "a\n" {
					t.Errorf("%s lacks a.txt", s.Ref)
				}
			}
		})
	}
}

func TestFirstDigest(t *testing.T) {
	d := "sha256:" + strings.Repeat("a", 64)
	if got, err := firstDigest(`["debian@` + d + `"]` + "\n"); err != nil || got != d {
		t.Errorf("firstDigest = %q, %v", got, err)
	}
	for _, bad := range []string{"[]", "null", "not json", `["debian"]`} {
		if _, err := firstDigest(bad); err == nil {
			t.Errorf("firstDigest(%q): no error", bad)
		}
	}
}
