package action

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/sethvargo/go-githubactions"

	"github.com/imagedrift/imagedrift/internal/report"
)

func TestReadInputs(t *testing.T) {
	tests := []struct {
		name    string
		inputs  map[string]string
		want    *Inputs
		wantErr string
	}{
		{"defaults", nil, &Inputs{File: "Dockerfile", Context: ".", Mode: ModeDiff, Lint: true, Vulnerabilities: true}, ""},
		{"everything", map[string]string{
			"file": "docker/api.Dockerfile", "context": "docker", "target": "prod",
			"build-args": "VERSION=1.2.3\n# a comment\nCOMMIT=abc\n", "platform": "linux/arm64",
			"base-image": "ghcr.io/acme/api:main", "head-image": "", "base-ref": "main",
			"comment": "Risk", "comment-key": "api", "fail-on": "high, major-bump lint:latest-tag",
			"config": ".github/imagedrift-api.yml", "github-token": "ghs_0123456789", "mode": "report",
			"report-dir": "out", "lint": "False", "allow-untrusted-build": "true",
			"vulnerabilities": "FALSE", "vulnerabilities-db": "osv", "cache-dir": ".cache/imagedrift",
		}, &Inputs{File: "docker/api.Dockerfile", Context: "docker", Target: "prod",
			BuildArgs: []string{"VERSION=1.2.3", "COMMIT=abc"}, Platform: "linux/arm64",
			BaseImage: "ghcr.io/acme/api:main", BaseRef: "main", Comment: "risk", CommentKey: "api",
			FailOn: []string{"high", "major-bump", "lint:latest-tag"}, Config: ".github/imagedrift-api.yml",
			Token: "ghs_0123456789", Mode: ModeReport, ReportDir: "out", Lint: false, AllowUntrustedBuild: true,
			VulnerabilitiesDB: "osv", CacheDir: ".cache/imagedrift"}, ""},
		{"fail-on none", map[string]string{"fail-on": "none"}, &Inputs{File: "Dockerfile", Context: ".", Mode: ModeDiff, Lint: true, FailOn: []string{}, Vulnerabilities: true}, ""},
		{"bad mode", map[string]string{"mode": "post"}, nil, `input mode: "post" is not one of diff, report, comment`},
		{"bad comment", map[string]string{"comment": "sometimes"}, nil, `input comment: "sometimes" is not one of always, changes, risk, never`},
		{"bad lint", map[string]string{"lint": "yes please"}, nil, `input lint: "yes please" is not true or false`},
		{"bad allow", map[string]string{"allow-untrusted-build": "1"}, nil, "input allow-untrusted-build"},
		{"bad fail-on", map[string]string{"fail-on": "huge"}, nil, `input fail-on: unknown risk id or level "huge"`},
		{"unknown lint rule", map[string]string{"fail-on": "lint:no-such-rule"}, nil, `input fail-on: "lint:no-such-rule" names no lint rule`},
		// A malformed build argument may be a pasted secret: never echoed.
		{"build-args", map[string]string{"build-args": "NPM_TOKEN npm_s3cr3tvalue"}, nil, "input build-args: build-args line 1: expected KEY=VALUE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readInputs(func(name string) string { return strings.TrimSpace(tt.inputs[name]) })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "s3cr3t") {
					t.Errorf("error shows a build argument's value: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("inputs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestInputNames(t *testing.T) {
	read := map[string]bool{}
	if _, err := readInputs(func(name string) string { read[name] = true; return "" }); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, n := range InputNames {
		want[n] = true
	}
	if diff := cmp.Diff(want, read); diff != "" {
		t.Errorf("inputs read (-InputNames +read):\n%s", diff)
	}
}

func TestOutputNames(t *testing.T) {
	env := newRunnerEnv(t, t.TempDir(), "workflow_dispatch")
	r := &runner{env: env.getenv, gha: githubactions.New(githubactions.WithGetenv(env.getenv), githubactions.WithWriter(&env.stdout))}
	if err := r.outputs(&report.Report{}, reportFiles{json: "/r.json", markdown: "/r.md"}, ""); err != nil {
		t.Fatal(err)
	}
	for _, name := range ModeOutputNames {
		if err := r.moreOutputs([2]string{name, ""}); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for name := range env.outputs() {
		got = append(got, name)
	}
	if diff := cmp.Diff(OutputNames, got, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("outputs (-OutputNames +set):\n%s", diff)
	}
}

// TestCacheDir: the cache-dir input is taken from the workspace; without
// it the layer cache is the CLI's default, in $XDG_CACHE_HOME; "none"
// reads every layer and stores nothing.
func TestCacheDir(t *testing.T) {
	env := map[string]string{"XDG_CACHE_HOME": "/xdg"}
	for _, tt := range []struct{ in, want string }{
		{"", "/xdg/imagedrift"},
		{"cache", "/work/cache"},
		{"/abs", "/abs"},
		{"none", ""},
	} {
		r := &runner{in: &Inputs{CacheDir: tt.in}, workspace: "/work", env: func(k string) string { return env[k] }, o: Options{Version: "v1.2.3"}}
		o := r.loadOptions()
		if o.CacheDir != tt.want || o.Program != "v1.2.3" || o.Warn == nil {
			t.Errorf("cache-dir %q: load options %+v, want the cache in %s", tt.in, o, tt.want)
		}
	}
}
