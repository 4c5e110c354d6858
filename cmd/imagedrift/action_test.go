package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/action"
)

func TestActionExitCodes(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		err      error
		code     int
		wantCall bool
		stderr   string
	}{
		{"success", nil, nil, 0, true, ""},
		{"policy failed", nil, action.ErrPolicyFailed, 1, true, ""},
		{"policy failed, wrapped", nil, errors.Join(errors.New("x"), action.ErrPolicyFailed), 1, true, ""},
		{"real error", nil, errors.New("build head image (commit 4b825dc642cb): exit status 1"), 2, true, "imagedrift: build head image"},
		{"arguments", []string{"--file", "Dockerfile"}, nil, 2, false, "action takes no arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			called := false
			old := actionRun
			actionRun = func(_ context.Context, o action.Options) error {
				called = true
				if o.Version != version || o.Stdout == nil {
					t.Errorf("options %+v", o)
				}
				return tt.err
			}
			t.Cleanup(func() { actionRun = old })
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), append([]string{"action"}, tt.args...), streams{Out: &stdout, Err: &stderr})
			if code != tt.code || called != tt.wantCall || !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("exit %d, called %v, stderr %q; want %d, %v, %q", code, called, stderr.String(), tt.code, tt.wantCall, tt.stderr)
			}
		})
	}
}

// The real entry reads the process's INPUT_* variables.
func TestActionReadsEnvironment(t *testing.T) {
	for _, k := range []string{"GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "INPUT_GITHUB-TOKEN"} {
		t.Setenv(k, "")
	}
	t.Setenv("INPUT_MODE", "publish")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"action"}, streams{Out: &stdout, Err: &stderr})
	if code != 2 || !strings.Contains(stderr.String(), `imagedrift: input mode: "publish" is not one of diff, report, comment`) {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
	if !strings.HasPrefix(stdout.String(), "::error::imagedrift: input mode") {
		t.Errorf("no error annotation on stdout: %q", stdout.String())
	}
}
