package build

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/build/buildtest"
)

func TestBuildBaseAndHead(t *testing.T) {
	buildtest.RequireDocker(t)
	for _, docker := range dockerClients(t) {
		b, err := detectBuilder(context.Background(), docker)
		if err != nil {
			t.Fatalf("%s: %v", docker, err)
		}
		t.Run(b.kind(), func(t *testing.T) {
			t.Logf("%s: %s", docker, b.mode())
			t.Parallel()
			repo, base, head := newPR(t)
			var log syncBuffer
			o := Options{RepoDir: repo.Dir, BaseRef: base, WorkDir: t.TempDir(),
				Log: &log, GitHubActions: true, Docker: docker}
			res, err := Build(context.Background(), o)
			if err != nil {
				t.Fatalf("Build: %v\n%s", err, log.String())
			}
			want := Result{
				Base: Side{Ref: res.Base.Ref, Commit: base, Built: true, Dockerfile: []byte(baseDockerfile)},
				Head: Side{Ref: res.Head.Ref, Commit: head, Built: true, Dockerfile: []byte(baseDockerfile)},
			}
			if !reflect.DeepEqual(*res, want) {
				t.Errorf("result %+v, want %+v", *res, want)
			}
			for _, s := range []Side{res.Base, res.Head} {
				p, ok := strings.CutPrefix(s.Ref, "docker-archive:")
				if !ok || filepath.Dir(p) != o.WorkDir {
					t.Errorf("reference %q is not an archive in the work directory %s", s.Ref, o.WorkDir)
				}
				assertTagsGone(t, docker, s.Ref)
			}

			baseImg, headImg := buildtest.Open(t, res.Base.Ref), buildtest.Open(t, res.Head.Ref)
			baseFiles, headFiles := buildtest.Files(t, baseImg), buildtest.Files(t, headImg)
			if got, want := baseFiles["var/lib/dpkg/status"], testdata(t, "status-hostname"); got != want {
				t.Errorf("base dpkg status:\n%s\nwant:\n%s", got, want)
			}
			if got, want := headFiles["var/lib/dpkg/status"], testdata(t, "status-hostname")+testdata(t, "status-debianutils"); got != want {
				t.Errorf("head dpkg status:\n%s\nwant:\n%s", got, want)
			}
			if _, ok := baseFiles["etc/legacy.conf"]; !ok {
				t.Error("base lacks etc/legacy.conf")
			}
			if _, ok := headFiles["etc/legacy.conf"]; ok {
				t.Error("head still has etc/legacy.conf, removed at head")
			}
			if _, ok := baseFiles["usr/bin/which"]; ok {
				t.Error("base has usr/bin/which, added at head")
			}
			if headFiles["usr/bin/which"] != "#!/bin/sh\n# which\n" {
				t.Errorf("head usr/bin/which = %q", headFiles["usr/bin/which"])
			}
			if baseFiles["etc/os-release"] != testdata(t, "os-release") || headFiles["etc/os-release"] != baseFiles["etc/os-release"] {
				t.Error("etc/os-release differs from the fixture")
			}
			if v := buildtest.Config(t, headImg).Config.Labels["org.opencontainers.image.version"]; v != "dev" {
				t.Errorf("head version label %q, want the ARG default dev", v)
			}

			assertClean(t, repo.Dir, o.WorkDir)
			out := log.String()
			for _, want := range []string{
				"::group::Build base image (commit " + base[:12] + ")\n",
				"::group::Build head image (commit " + head[:12] + ")\n",
				"::stop-commands::", "::endgroup::\n",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("log lacks %q:\n%s", want, out)
				}
			}
		})
	}
}

func TestBuildArgsTargetPlatform(t *testing.T) {
	buildtest.RequireDocker(t)
	repo := buildtest.NewRepo(t)
	repo.Write(map[string]string{
		"Dockerfile": `FROM scratch AS app
ARG VERSION
ARG API_TOKEN
LABEL org.opencontainers.image.version=$VERSION token=$API_TOKEN
COPY app/ /app/

FROM scratch AS debug
COPY debug/ /debug/
`,
		"app/main.txt":   "app\n",
		"debug/info.txt": "debug\n",
	})
	base := repo.Commit("base")
	const token = "ghp_s3cretTokenValue42"
	for _, docker := range dockerClients(t) {
		b, err := detectBuilder(context.Background(), docker)
		if err != nil {
			t.Fatalf("%s: %v", docker, err)
		}
		t.Run(b.kind(), func(t *testing.T) {
			t.Parallel()
			t.Logf("%s: %s", docker, b.mode())
			var log syncBuffer
			o := Options{
				RepoDir: repo.Dir, BaseRef: base, WorkDir: t.TempDir(), Log: &log, Docker: docker,
				Target: "app", Platform: "linux/arm64",
				BuildArgs: []string{"VERSION=1.2.3", "API_TOKEN=" + token},
			}
			res, err := Build(context.Background(), o)
			out := log.String()
			if strings.Contains(out, token) {
				t.Errorf("log shows a build-argument value:\n%s", out)
			}
			if !strings.Contains(out, "--build-arg=API_TOKEN=***") {
				t.Errorf("log does not name the build argument by key:\n%s", out)
			}
			if b.kind() == "legacy" {
				// The legacy builder runs LABEL in a container of the
				// host's platform and then refuses the mismatch.
				var be *BuildError
				if !errors.As(err, &be) || !strings.Contains(err.Error(), "install the docker buildx plugin") {
					t.Fatalf("legacy builder, another platform: error %v, want a hint to install buildx", err)
				}
				if strings.Contains(be.Tail(), token) {
					t.Errorf("error tail shows a build-argument value:\n%s", be.Tail())
				}
				return
			}
			if err != nil {
				t.Fatalf("Build: %v\n%s", err, out)
			}
			for name, s := range map[string]Side{"base": res.Base, "head": res.Head} {
				img := buildtest.Open(t, s.Ref)
				cf := buildtest.Config(t, img)
				if got := cf.Config.Labels["org.opencontainers.image.version"]; got != "1.2.3" {
					t.Errorf("%s: version label %q, want 1.2.3 from the build argument", name, got)
				}
				if got := cf.Config.Labels["token"]; got != token {
					t.Errorf("%s: token label %q: the build argument did not reach the build", name, got)
				}
				if cf.OS != "linux" || cf.Architecture != "arm64" {
					t.Errorf("%s: platform %s/%s, want linux/arm64", name, cf.OS, cf.Architecture)
				}
				files := buildtest.Files(t, img)
				if files["app/main.txt"] != "app\n" {
					t.Errorf("%s: target stage content missing: %v", name, files)
				}
				if _, ok := files["debug/info.txt"]; ok {
					t.Errorf("%s: has the debug stage's file although the target is app", name)
				}
			}
		})
	}
}

// TestBuildArgsTarget checks build arguments and the target on
// the host's platform, which every builder can do.
func TestBuildArgsTarget(t *testing.T) {
	buildtest.RequireDocker(t)
	t.Parallel()
	repo := buildtest.NewRepo(t)
	repo.Write(map[string]string{
		"Dockerfile": "FROM scratch AS app\nARG VERSION\nLABEL org.opencontainers.image.version=$VERSION\nCOPY app/ /app/\n" +
			"FROM scratch AS debug\nCOPY debug/ /debug/\n",
		"app/main.txt":   "app\n",
		"debug/info.txt": "debug\n",
	})
	base := repo.Commit("base")
	o := Options{RepoDir: repo.Dir, BaseRef: base, WorkDir: t.TempDir(), Target: "app",
		BuildArgs: []string{"VERSION=4.5.6"}}
	res, err := Build(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	img := buildtest.Open(t, res.Head.Ref)
	if got := buildtest.Config(t, img).Config.Labels["org.opencontainers.image.version"]; got != "4.5.6" {
		t.Errorf("version label %q, want 4.5.6", got)
	}
	if _, ok := buildtest.Files(t, img)["debug/info.txt"]; ok {
		t.Error("the debug stage was built although the target is app")
	}
}

func TestBuildFailureNamesSide(t *testing.T) {
	buildtest.RequireDocker(t)
	broken := "FROM scratch\nCOPY missing-dir/ /\n"
	for _, side := range []string{"base", "head"} {
		t.Run(side, func(t *testing.T) {
			t.Parallel()
			repo := buildtest.NewRepo(t)
			good := map[string]string{"Dockerfile": "FROM scratch\nCOPY rootfs/ /\n", "rootfs/a": "a\n"}
			repo.Write(good)
			if side == "base" {
				repo.Write(map[string]string{"Dockerfile": broken})
			}
			base := repo.Commit("base")
			repo.Write(good)
			if side == "head" {
				repo.Write(map[string]string{"Dockerfile": broken})
			}
			head := repo.Commit("head")
			o := Options{RepoDir: repo.Dir, BaseRef: base, WorkDir: t.TempDir()}
			_, err := Build(context.Background(), o)
			var be *BuildError
			if !errors.As(err, &be) {
				t.Fatalf("error %v is not a *BuildError", err)
			}
			commit := map[string]string{"base": base, "head": head}[side]
			if be.Side != side || be.Commit != commit {
				t.Errorf("error names %s at %s, want %s at %s", be.Side, be.Commit, side, commit)
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") || !strings.Contains(msg, side+" image (commit "+commit[:12]+")") {
				t.Errorf("Error() = %q: want one line naming the side and commit", msg)
			}
			if cause := be.Cause(); !strings.Contains(cause, "missing-dir") {
				t.Errorf("Cause() = %q, want the builder's complaint about missing-dir", cause)
			}
			tail := be.Tail()
			if !strings.Contains(tail, "missing-dir") || strings.Count(tail, "\n") > tailLines {
				t.Errorf("Tail() does not end with the build's complaint (at most %d lines):\n%s", tailLines, tail)
			}
			assertClean(t, repo.Dir, o.WorkDir)
			for _, n := range workDirEntries(t, o.WorkDir) {
				if strings.HasPrefix(n, side+"-") {
					t.Errorf("the failed %s build left %s", side, n)
				}
			}
		})
	}
}

func TestMissingDockerfile(t *testing.T) {
	buildtest.RequireDocker(t)
	tests := []struct {
		name             string
		atBase, atHead   bool
		wantBase, wantHd bool // Missing
		wantErr          string
	}{
		{name: "pull request adds the Dockerfile", atHead: true, wantBase: true},
		{name: "pull request deletes the Dockerfile", atBase: true, wantHd: true},
		{name: "neither side has it", wantErr: "exists neither at the base"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			repo := buildtest.NewRepo(t)
			repo.Write(map[string]string{"README": "x\n", "rootfs/a": "a\n"})
			if tt.atBase {
				repo.Write(map[string]string{"build/Dockerfile": "FROM scratch\nCOPY rootfs/ /\n"})
			}
			base := repo.Commit("base")
			repo.Remove("build")
			if tt.atHead {
				repo.Write(map[string]string{"build/Dockerfile": "FROM scratch\nCOPY rootfs/ /\n"})
			}
			head := repo.Commit("head")
			o := Options{RepoDir: repo.Dir, BaseRef: base, WorkDir: t.TempDir(), Dockerfile: "build/Dockerfile"}
			res, err := Build(context.Background(), o)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				s       Side
				missing bool
				commit  string
			}{{res.Base, tt.wantBase, base}, {res.Head, tt.wantHd, head}} {
				if c.s.Missing != c.missing || c.s.Built == c.missing || c.s.Commit != c.commit {
					t.Errorf("side %+v: want Missing=%v at %s", c.s, c.missing, c.commit)
				}
				if c.missing && c.s.Ref != "" {
					t.Errorf("missing side has reference %q", c.s.Ref)
				}
				if !c.missing {
					if files := buildtest.Files(t, buildtest.Open(t, c.s.Ref)); files["a"] != "a\n" {
						t.Errorf("built side lacks its file: %v", files)
					}
				}
			}
			assertClean(t, repo.Dir, o.WorkDir)
		})
	}
}

func TestSuppliedImages(t *testing.T) {
	t.Run("both supplied: nothing runs", func(t *testing.T) {
		o := Options{RepoDir: "/nonexistent", BaseImage: "docker-archive:/x/base.tar",
			HeadImage: "registry.example/app:2", Docker: "/nonexistent/docker", Git: "/nonexistent/git"}
		res, err := Build(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		want := Result{Base: Side{Ref: o.BaseImage}, Head: Side{Ref: o.HeadImage}}
		if !reflect.DeepEqual(*res, want) {
			t.Errorf("result %+v, want %+v", *res, want)
		}
	})
	t.Run("base supplied, head built", func(t *testing.T) {
		buildtest.RequireDocker(t)
		t.Parallel()
		repo, _, head := newPR(t)
		o := Options{RepoDir: repo.Dir, BaseImage: "registry.example/app:1", WorkDir: t.TempDir()}
		res, err := Build(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(res.Base, Side{Ref: "registry.example/app:1"}) {
			t.Errorf("base %+v: want the supplied reference as is", res.Base)
		}
		if !res.Head.Built || res.Head.Commit != head || len(res.Head.Dockerfile) == 0 {
			t.Errorf("head %+v: want built at %s", res.Head, head)
		}
		if names := workDirEntries(t, o.WorkDir); len(names) != 1 || !strings.HasPrefix(names[0], "head-") {
			t.Errorf("work directory holds %q, want the head archive only", names)
		}
	})
	t.Run("head supplied, base built", func(t *testing.T) {
		buildtest.RequireDocker(t)
		t.Parallel()
		repo, base, _ := newPR(t)
		o := Options{RepoDir: repo.Dir, BaseRef: base, HeadImage: "oci:/images/head", WorkDir: t.TempDir()}
		res, err := Build(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(res.Head, Side{Ref: "oci:/images/head"}) || !res.Base.Built || res.Base.Commit != base || len(res.Base.Dockerfile) == 0 {
			t.Errorf("result %+v", *res)
		}
		assertClean(t, repo.Dir, o.WorkDir)
	})
}

func TestPullRequestTarget(t *testing.T) {
	repo, base, _ := newPR(t)
	t.Parallel()
	t.Run("refused", func(t *testing.T) {
		work := t.TempDir()
		o := Options{RepoDir: repo.Dir, BaseRef: base, WorkDir: work, Event: "pull_request_target",
			Docker: "/nonexistent/docker"}
		_, err := Build(context.Background(), o)
		if !errors.Is(err, errUntrustedHead) {
			t.Fatalf("error %v, want the pull_request_target refusal", err)
		}
		for _, want := range []string{"allow-untrusted-build: true", "AllowUntrustedHead", "write token"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("refusal %q does not mention %q", err, want)
			}
		}
		if names := workDirEntries(t, work); len(names) != 0 {
			t.Errorf("the refused build left %q", names)
		}
	})
	t.Run("supplied head image needs no trust", func(t *testing.T) {
		o := Options{BaseImage: "a:1", HeadImage: "a:2", Event: "pull_request_target"}
		if _, err := Build(context.Background(), o); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("opted in", func(t *testing.T) {
		buildtest.RequireDocker(t)
		o := Options{RepoDir: repo.Dir, BaseImage: "app:base", WorkDir: t.TempDir(), Event: "pull_request_target",
			AllowUntrustedHead: true}
		res, err := Build(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Head.Built {
			t.Errorf("result %+v: want the head built", *res)
		}
	})
}

func TestBuildxPlatform(t *testing.T) {
	buildtest.RequireDocker(t)
	if err := exec.Command("docker", "buildx", "version").Run(); err != nil {
		t.Skip("the docker buildx plugin is not installed: the buildx path (--output type=docker,dest=…) is not tested here")
	}
	repo, base, _ := newPR(t)
	o := Options{RepoDir: repo.Dir, BaseRef: base, WorkDir: t.TempDir(), Platform: "linux/arm64"}
	res, err := Build(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []Side{res.Base, res.Head} {
		if cf := buildtest.Config(t, buildtest.Open(t, s.Ref)); cf.Architecture != "arm64" {
			t.Errorf("%s: architecture %s, want arm64", s.Ref, cf.Architecture)
		}
	}
	assertClean(t, repo.Dir, o.WorkDir)
}
