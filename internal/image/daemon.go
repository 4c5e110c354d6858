package image

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// openDaemon saves NAME from the Docker engine into a temporary archive
// with the docker CLI and reads it as a docker-archive. The archive's
// directory is removed by the returned close function, or right away on
// failure.
func openDaemon(ctx context.Context, ref, imageName string, opts Options) (*Image, error) {
	docker := opts.DockerBinary
	if docker == "" {
		docker = "docker"
	}
	bin, err := exec.LookPath(docker)
	if err != nil {
		return nil, fail(ref, ErrNoDaemon, fmt.Sprintf("the docker CLI (%s) is not installed or not on PATH", docker), err)
	}
	// Inspect first: it tells a missing image from an unreachable engine
	// before a save starts writing.
	if _, err := runDocker(ctx, bin, "image", "inspect", "--format", "{{.Id}}", "--", imageName); err != nil {
		return nil, daemonError(ref, imageName, err)
	}
	dir, err := os.MkdirTemp(opts.TempDir, "imagedrift-daemon-")
	if err != nil {
		return nil, fail(ref, ErrNoDaemon, "cannot create a temporary directory for docker save: "+err.Error(), err)
	}
	cleanup := func() error { return os.RemoveAll(dir) }
	archive := filepath.Join(dir, "image.tar")
	if _, err := runDocker(ctx, bin, "image", "save", "--output", archive, "--", imageName); err != nil {
		cleanup()
		return nil, daemonError(ref, imageName, err)
	}
	ti, err := indexTar(archive)
	if err != nil {
		cleanup()
		return nil, fail(ref, ErrNotImage, "docker save wrote an unreadable archive: "+err.Error(), err)
	}
	img, err := openDockerArchive(ref, ti, "")
	if err != nil {
		ti.Close()
		cleanup()
		return nil, err
	}
	return &Image{Ref: ref, Image: img, Synthetic: true, close: func() error {
		return errors.Join(ti.Close(), cleanup())
	}}, nil
}

// dockerError carries the stderr of a failed docker command.
type dockerError struct {
	args   []string
	stderr string
	err    error
}

func (e *dockerError) Error() string {
	msg := strings.TrimSpace(e.stderr)
	if msg == "" {
		msg = e.err.Error()
	}
	return "docker " + strings.Join(e.args, " ") + ": " + msg
}

func (e *dockerError) Unwrap() error { return e.err }

func runDocker(ctx context.Context, bin string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &limitedBuffer{buf: &stderr, max: 8 << 10}
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return "", &dockerError{args: args[:2], stderr: stderr.String(), err: err}
	}
	return stdout.String(), nil
}

// daemonError classifies a docker CLI failure by what the CLI printed:
// the CLI's exit code is 1 for every failure.
func daemonError(ref, imageName string, err error) error {
	var de *dockerError
	if !errors.As(err, &de) {
		return fail(ref, ErrNoDaemon, err.Error(), err)
	}
	s := strings.ToLower(de.stderr)
	switch {
	case errors.Is(de.err, context.Canceled), errors.Is(de.err, context.DeadlineExceeded):
		return fail(ref, ErrNoDaemon, "interrupted: "+de.err.Error(), de.err)
	case strings.Contains(s, "cannot connect to the docker daemon"), strings.Contains(s, "error during connect"),
		strings.Contains(s, "is the docker daemon running"), strings.Contains(s, "permission denied"),
		strings.Contains(s, "connection refused"), strings.Contains(s, "no such file or directory"):
		return fail(ref, ErrNoDaemon, "the Docker engine is unreachable: "+de.Error(), err)
	case strings.Contains(s, "no such image"), strings.Contains(s, "no such object"),
		strings.Contains(s, "reference does not exist"), strings.Contains(s, "not found"):
		return fail(ref, ErrNotFound, fmt.Sprintf("image %s is not in the Docker engine (docker image ls lists what is; pull or build it first)", imageName), err)
	}
	return fail(ref, ErrNoDaemon, de.Error(), err)
}

// limitedBuffer keeps the first max bytes written to it and drops the
// rest, so a chatty command cannot grow memory.
type limitedBuffer struct {
	buf *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.buf.Len(); room > 0 {
		l.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}
