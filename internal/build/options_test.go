package build

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestOptionsNormalize(t *testing.T) {
	work := t.TempDir()
	ok := Options{BaseRef: "main", WorkDir: work}
	tests := []struct {
		name    string
		edit    func(*Options)
		wantErr string
	}{
		{name: "defaults", edit: func(*Options) {}},
		{name: "nested Dockerfile and context", edit: func(o *Options) { o.Dockerfile, o.Context = "docker/app.Dockerfile", "src" }},
		{name: "platform with variant", edit: func(o *Options) { o.Platform = "linux/arm/v7" }},
		{name: "absolute Dockerfile", edit: func(o *Options) { o.Dockerfile = "/etc/passwd" }, wantErr: "must be relative"},
		{name: "Dockerfile outside the repo", edit: func(o *Options) { o.Dockerfile = "../other/Dockerfile" }, wantErr: "stay inside"},
		{name: "Dockerfile is the repo", edit: func(o *Options) { o.Dockerfile = "sub/.." }, wantErr: "names no file"},
		{name: "context outside the repo", edit: func(o *Options) { o.Context = "a/../../b" }, wantErr: "context path"},
		{name: "target like an option", edit: func(o *Options) { o.Target = "--push" }, wantErr: "must not start with '-'"},
		{name: "platform list", edit: func(o *Options) { o.Platform = "linux/amd64,linux/arm64" }, wantErr: "one platform at a time"},
		{name: "platform without arch", edit: func(o *Options) { o.Platform = "linux" }, wantErr: "expected os/arch"},
		{name: "platform upper case", edit: func(o *Options) { o.Platform = "Linux/AMD64" }, wantErr: "lower case"},
		{name: "bad build arg", edit: func(o *Options) { o.BuildArgs = []string{"A=1", "B"} }, wantErr: "build argument 2: expected KEY=VALUE"},
		{name: "no base", edit: func(o *Options) { o.BaseRef = "" }, wantErr: "no base"},
		{name: "base ref like an option", edit: func(o *Options) { o.BaseRef = "--upload-pack=x" }, wantErr: "must not start with '-'"},
		{name: "base ref with a space", edit: func(o *Options) { o.BaseRef = "main extra" }, wantErr: "white space"},
		{name: "no work dir", edit: func(o *Options) { o.WorkDir = "" }, wantErr: "no work directory"},
		{name: "work dir missing", edit: func(o *Options) { o.WorkDir = filepath.Join(work, "nope") }, wantErr: "work directory"},
		{name: "both images need no work dir", edit: func(o *Options) { o.BaseImage, o.HeadImage, o.WorkDir = "a", "b", "" }},
		{name: "base image needs no base ref", edit: func(o *Options) { o.BaseImage, o.BaseRef = "a", "" }},
		{name: "pull_request_target", edit: func(o *Options) { o.Event = "pull_request_target" }, wantErr: "allow-untrusted-build: true"},
		{name: "pull_request_target opted in", edit: func(o *Options) { o.Event, o.AllowUntrustedHead = "pull_request_target", true }},
		{name: "pull_request", edit: func(o *Options) { o.Event = "pull_request" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := ok
			tt.edit(&o)
			err := o.normalize()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if o.Docker != "docker" || o.Git != "git" || o.Log == nil || o.Dockerfile == "" || o.Context == "" {
				t.Errorf("defaults not filled: %+v", o)
			}
			if !filepath.IsAbs(o.RepoDir) {
				t.Errorf("RepoDir %q not made absolute", o.RepoDir)
			}
		})
	}
}
