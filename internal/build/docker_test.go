package build

import (
	"encoding/csv"
	"slices"
	"strings"
	"testing"
)

func TestClassicBuildKit(t *testing.T) {
	tests := []struct {
		versions string
		want     bool
	}{
		{"20.10.24+dfsg1|20.10.24+dfsg1|linux", true}, // Debian's client and daemon
		{"28.2.2|20.10.24+dfsg1|linux", false},        // client needs buildx for BuildKit
		{"23.0.0|24.0.7|linux", false},
		{"19.03.15|18.09.1|linux", true},
		{"19.03.15|18.06.3-ce|linux", false}, // daemon before BuildKit
		{"20.10.7|20.10.7|windows", false},
		{"28.2.2||", false}, // daemon not answering
		{"garbage", false},
	}
	for _, tt := range tests {
		if got := classicBuildKit(tt.versions); got != tt.want {
			t.Errorf("classicBuildKit(%q) = %v, want %v", tt.versions, got, tt.want)
		}
	}
}

func TestBuildxDriver(t *testing.T) {
	inspect := `Name:          default
Driver:        docker
Last Activity: 2024-03-01 10:00:00 +0000 UTC

Nodes:
Name:      default
Endpoint:  default
Status:    running
`
	if got := buildxDriver(inspect); got != "docker" {
		t.Errorf("driver %q, want docker", got)
	}
	if got := buildxDriver(strings.Replace(inspect, "docker\n", "docker-container\n", 1)); got != "docker-container" {
		t.Errorf("driver %q, want docker-container", got)
	}
	if got := buildxDriver("Name: x\n"); got != "" {
		t.Errorf("driver %q, want none", got)
	}
}

func TestBuildCommandLine(t *testing.T) {
	o := &Options{Target: "app", Platform: "linux/arm64", BuildArgs: []string{"TOKEN=s3cret=x", "V=1"}}
	s := spec{side: "base", dockerfile: "/w/src/Dockerfile", context: "/w/src", archive: "/w/a,b.tar", o: o}
	tests := []struct {
		b    builder
		want []string
	}{
		{builder{}, []string{"build", "--force-rm"}},
		{builder{kit: true}, []string{"build", "--progress=plain"}},
		{builder{buildx: true}, []string{"buildx", "build", "--progress=plain"}},
		{builder{buildx: true, load: true}, []string{"buildx", "build", "--progress=plain"}},
	}
	for _, tt := range tests {
		args := tt.b.buildArgs(s, "imagedrift-tmp/x:base")
		want := append(tt.want, "--file=/w/src/Dockerfile", "--tag=imagedrift-tmp/x:base", "--target=app",
			"--platform=linux/arm64", "--build-arg=TOKEN=s3cret=x", "--build-arg=V=1")
		switch {
		case tt.b.buildx && tt.b.load:
			want = append(want, "--load")
		case tt.b.buildx:
			want = append(want, `--output=type=docker,"dest=/w/a,b.tar"`)
		}
		want = append(want, "/w/src")
		if !slices.Equal(args, want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.b.mode(), args, want)
		}
		red := strings.Join(redactArgs(args), " ")
		if strings.Contains(red, "s3cret") || !strings.Contains(red, "--build-arg=TOKEN=***") {
			t.Errorf("redacted command line %q", red)
		}
	}
	// buildx reads --output as a CSV record: the path must come back whole.
	rec, err := csv.NewReader(strings.NewReader(csvRecord("type=docker", `dest=/w/a,"b".tar`))).Read()
	if err != nil || !slices.Equal(rec, []string{"type=docker", `dest=/w/a,"b".tar`}) {
		t.Errorf("csv record read back as %q, %v", rec, err)
	}
}
