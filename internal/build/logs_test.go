package build

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestLineLog(t *testing.T) {
	var out bytes.Buffer
	l := newLineLog(&out, []string{"TOKEN=ghp_abc123", "LONG=ghp_abc123456", "SHORT=1", "EMPTY="})
	// Written in pieces that split lines and a secret.
	for _, p := range []string{"#1 [1/2] COPY . /\r\n#2 token ghp_a", "bc123 and ghp_abc123456\n", "a 1 b", "\n", "last"} {
		if n, err := l.Write([]byte(p)); n != len(p) || err != nil {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	l.Flush()
	want := "#1 [1/2] COPY . /\n#2 token *** and ***\na 1 b\nlast\n"
	if out.String() != want {
		t.Errorf("log:\n%q\nwant\n%q", out.String(), want)
	}
	if got := l.Tail(); !slices.Equal(got, []string{"#1 [1/2] COPY . /", "#2 token *** and ***", "a 1 b", "last"}) {
		t.Errorf("tail %q", got)
	}
}

func TestLineLogTailKeepsLastLines(t *testing.T) {
	l := newLineLog(&bytes.Buffer{}, nil)
	for i := range 100 {
		fmt.Fprintf(l, "line %d\n", i)
	}
	tail := l.Tail()
	if len(tail) != tailLines || tail[0] != "line 70" || tail[tailLines-1] != "line 99" {
		t.Errorf("tail %q, want lines 70..99", tail)
	}
	l.Write([]byte(strings.Repeat("x", maxLogLine+10)))
	tail = l.Tail()
	if last := tail[len(tail)-1]; len(last) > maxTailLine+len("…") {
		t.Errorf("a long line is kept whole (%d bytes)", len(last))
	}
	if len(l.partial) > maxLogLine {
		t.Errorf("partial line buffer grew to %d bytes", len(l.partial))
	}
}

func TestGroup(t *testing.T) {
	var out bytes.Buffer
	g := beginGroup(&out, true, "Build base image (commit abc)")
	out.WriteString("::set-output name=x::y\n")
	g.end()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 5 || lines[0] != "::group::Build base image (commit abc)" || lines[4] != "::endgroup::" {
		t.Fatalf("group lines %q", lines)
	}
	token, ok := strings.CutPrefix(lines[1], "::stop-commands::")
	if !ok || len(token) < 32 || lines[3] != "::"+token+"::" {
		t.Errorf("workflow commands not suspended around the output: %q", lines)
	}
	out.Reset()
	beginGroup(&out, false, "Build head image (working tree)").end()
	if out.String() != "==> Build head image (working tree)\n" {
		t.Errorf("plain header %q", out.String())
	}
}

func TestBuildErrorMessage(t *testing.T) {
	e := &BuildError{Side: "head", Commit: "0123456789abcdef0123", Err: fmt.Errorf("docker build: exit status 1\nmore"),
		tail: []string{"#5 ERROR: failed", "------"}}
	if got, want := e.Error(), "build head image (commit 0123456789ab): docker build: exit status 1 more"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got := e.Tail(); got != "#5 ERROR: failed\n------\n" {
		t.Errorf("Tail() = %q", got)
	}
	e.Commit = ""
	if got := e.Error(); !strings.Contains(got, "(working tree)") {
		t.Errorf("Error() = %q, want the working tree named", got)
	}
}

// FuzzLineLog feeds build output in two writes: a value is never shown,
// and the kept tail stays bounded.
func FuzzLineLog(f *testing.F) {
	f.Add("step 1\nTOKEN=hunter22\r\n", "hunter22", 3)
	f.Add("no newline at all", "abcd", 0)
	f.Add("a\n\n\nb", "\n\n", 1)
	f.Fuzz(func(t *testing.T, output, secret string, cut int) {
		if len(secret) < minMaskedLen || strings.ContainsAny(secret, "\r\n") || strings.Contains(mask, secret) {
			return
		}
		var out bytes.Buffer
		l := newLineLog(&out, []string{"S=" + secret})
		if cut < 0 || cut > len(output) {
			cut = len(output) / 2
		}
		l.Write([]byte(output[:cut]))
		l.Write([]byte(output[cut:]))
		l.Flush()
		if strings.Contains(out.String(), secret) && !strings.Contains(output, mask) {
			t.Fatalf("secret %q shown in %q", secret, out.String())
		}
		tail := l.Tail()
		if len(tail) > tailLines {
			t.Fatalf("tail of %d lines", len(tail))
		}
		for _, line := range tail {
			if len(line) > maxTailLine+len("…") || strings.Contains(line, "\n") {
				t.Fatalf("tail line %q", line)
			}
		}
	})
}

// Cause quotes the builder's own complaint, from the output of the
// legacy builder and of BuildKit for `RUN false`.
func TestBuildErrorCause(t *testing.T) {
	tests := []struct {
		name string
		tail []string
		want string
	}{
		{"legacy builder", []string{
			"Step 3/3 : RUN false",
			" ---> Running in 5c0ab0c6a1b2",
			"The command '/bin/sh -c false' returned a non-zero code: 1",
		}, "The command '/bin/sh -c false' returned a non-zero code: 1"},
		{"buildkit", []string{
			"#5 [2/2] RUN false",
			"#5 ERROR: process \"/bin/sh -c false\" did not complete successfully: exit code: 1",
			"------",
			" > [2/2] RUN false:",
			"------",
			"Dockerfile:2",
			"--------------------",
			"   1 |     FROM scratch",
			"   2 | >>> RUN false",
			"--------------------",
			"ERROR: failed to solve: process \"/bin/sh -c false\" did not complete successfully: exit code: 1",
			"",
		}, "ERROR: failed to solve: process \"/bin/sh -c false\" did not complete successfully: exit code: 1"},
		{"no error words", []string{"Step 1/1 : FROM scratch", "killed"}, "killed"},
		{"no output", nil, ""},
	}
	for _, tt := range tests {
		e := &BuildError{Side: "head", Err: errors.New("exit status 1"), tail: tt.tail}
		if got := e.Cause(); got != tt.want {
			t.Errorf("%s: Cause() = %q, want %q", tt.name, got, tt.want)
		}
	}
}
