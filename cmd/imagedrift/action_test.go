package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/action"
	"github.com/imagedrift/imagedrift/internal/risk"
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
		{"policy failed", nil, risk.ErrPolicyFailed, 1, true, ""},
		{"policy failed, wrapped", nil, errors.Join(errors.New("x"), risk.ErrPolicyFailed), 1, true, ""},
		{"real error", nil, errors.New("build head image (commit 4b825dc642cb): exit status 1"), 2, true, "imagedrift: build head image"},
		{"arguments", []string{"--file", "Dockerfile"}, nil, 2, false, "action takes no arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			called := false
			d := &deps{action: func(_ context.Context, o action.Options) error {
				called = true
				if o.Version != version || o.Stdout == nil {
					t.Errorf("options %+v", o)
				}
				return tt.err
			}}
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), append([]string{"action"}, tt.args...), d, streams{Out: &stdout, Err: &stderr})
			// An empty want means nothing on stderr: exit 0 and 1 print
			// nothing of their own.
			stderrOK := stderr.String() == "" && tt.stderr == "" || tt.stderr != "" && strings.Contains(stderr.String(), tt.stderr)
			if code != tt.code || called != tt.wantCall || !stderrOK {
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
	code := run(context.Background(), []string{"action"}, defaultDeps(), streams{Out: &stdout, Err: &stderr})
	if code != 2 || !strings.Contains(stderr.String(), `imagedrift: input mode: "publish" is not one of diff, report, comment`) {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
	if !strings.HasPrefix(stdout.String(), "::error::imagedrift: input mode") {
		t.Errorf("no error annotation on stdout: %q", stdout.String())
	}
}

// A mistake on the command line says where the usage is; other errors
// are one line of their own.
func TestUsageErrorHint(t *testing.T) {
	t.Parallel()
	var stderr bytes.Buffer
	d := &deps{action: func(context.Context, action.Options) error { return errors.New("build head image: exit status 1") }}
	if code := run(context.Background(), []string{"action", "extra"}, d, streams{Out: &bytes.Buffer{}, Err: &stderr}); code != 2 ||
		!strings.HasSuffix(stderr.String(), "(see imagedrift action -h)\n") {
		t.Errorf("usage error: exit %d, stderr %q", code, stderr.String())
	}
	stderr.Reset()
	if code := run(context.Background(), []string{"action"}, d, streams{Out: &bytes.Buffer{}, Err: &stderr}); code != 2 ||
		stderr.String() != "imagedrift: build head image: exit status 1\n" {
		t.Errorf("runtime error: exit %d, stderr %q", code, stderr.String())
	}
}
