package build

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/imagedrift/imagedrift/internal/oneline"
)

// builder is how this machine builds images, found once per Build.
type builder struct {
	bin    string
	buildx bool     // docker buildx build
	load   bool     // buildx's docker driver cannot write an archive: load, then save
	kit    bool     // plain docker build with BuildKit (DOCKER_BUILDKIT=1)
	env    []string // the environment docker runs with
	// kitVersion is the BuildKit version buildx reports ("v0.13.2"), ""
	// when unknown.
	kitVersion string
}

// detectBuilder picks docker buildx when the plugin works, else plain
// docker build, with BuildKit when both client and daemon can use it.
func detectBuilder(ctx context.Context, bin string) (*builder, error) {
	b := &builder{bin: bin}
	// Default provenance attestations would add manifests beside the
	// image that say nothing about its content; buildx versions without
	// them ignore the variable.
	b.env = append(os.Environ(), "BUILDX_NO_DEFAULT_ATTESTATIONS=1")
	if _, err := b.output(ctx, "buildx", "version"); err == nil {
		b.buildx = true
		out, err := b.output(ctx, "buildx", "inspect")
		if err != nil {
			return nil, fmt.Errorf("docker buildx inspect: %w", err)
		}
		b.load = buildxDriver(out) == "docker"
		b.kitVersion = buildxKitVersion(out)
		return b, nil
	} else if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	out, err := b.output(ctx, "version", "--format", "{{.Client.Version}}|{{.Server.Version}}|{{.Server.Os}}")
	if err != nil {
		return nil, fmt.Errorf("the Docker engine is not reachable (docker version): %w", err)
	}
	b.kit = classicBuildKit(out)
	if b.kit {
		b.env = append(b.env, "DOCKER_BUILDKIT=1")
	} else {
		// A client from 23.0 on needs buildx for BuildKit and fails when
		// DOCKER_BUILDKIT=1 was inherited without it.
		b.env = append(b.env, "DOCKER_BUILDKIT=0")
	}
	return b, nil
}

// mode names the way of building, for the log.
func (b *builder) mode() string {
	switch {
	case b.buildx && b.load:
		return "docker buildx build (docker driver: load, then save)"
	case b.buildx:
		return "docker buildx build"
	case b.kit:
		return "docker build (BuildKit)"
	}
	return "docker build (legacy builder)"
}

// kind is a one-word name of the mode.
func (b *builder) kind() string {
	switch {
	case b.buildx:
		return "buildx"
	case b.kit:
		return "buildkit"
	}
	return "legacy"
}

// explain adds a hint to a build failure that has a known cause outside
// the Dockerfile.
func (b *builder) explain(err error, o *Options, tail []string) error {
	if b.buildx || b.kit || o.Platform == "" {
		return err
	}
	for _, line := range tail {
		if strings.Contains(line, "does not match the specified platform") {
			return fmt.Errorf("%w (the legacy builder cannot build this Dockerfile for %s: "+
				"install the docker buildx plugin)", err, o.Platform)
		}
	}
	return err
}

// buildxDriver finds the driver in `docker buildx inspect` output.
func buildxDriver(inspect string) string {
	for _, line := range strings.Split(inspect, "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "Driver" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// buildxKitVersion finds the BuildKit version in `docker buildx inspect`
// output: "BuildKit version: v0.13.2" (older buildx: "Buildkit: v0.9.0").
func buildxKitVersion(inspect string) string {
	for _, line := range strings.Split(inspect, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "buildkit version", "buildkit":
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// rewritesTimestamps reports whether the builder can rewrite the file
// times in the layers to SOURCE_DATE_EPOCH (the exporter option
// rewrite-timestamp, BuildKit v0.13). The docker driver's exporter is the
// engine's own, which is not known to take it: only other drivers do.
func (b *builder) rewritesTimestamps() bool {
	if !b.buildx || b.load {
		return false
	}
	major, minor, ok := majorMinor(strings.TrimPrefix(b.kitVersion, "v"))
	return ok && (major > 0 || minor >= 13)
}

// classicBuildKit decides from "client|server|os" whether plain docker
// build can use BuildKit: the client must still carry its own BuildKit
// front end (before 23.0, which moved it into buildx) and the daemon must
// be a Linux one from 18.09 on.
func classicBuildKit(versions string) bool {
	parts := strings.Split(strings.TrimSpace(versions), "|")
	if len(parts) != 3 || parts[2] != "linux" {
		return false
	}
	cMajor, _, ok1 := majorMinor(parts[0])
	sMajor, sMinor, ok2 := majorMinor(parts[1])
	if !ok1 || !ok2 {
		return false
	}
	return cMajor < 23 && (sMajor > 18 || sMajor == 18 && sMinor >= 9)
}

// majorMinor reads "20.10.24+dfsg1" as 20, 10.
func majorMinor(v string) (int, int, bool) {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return 0, 0, false
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(leadingDigits(parts[1]))
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return major, minor, true
}

// leadingDigits returns the digits that start s ("09-ce" gives "09").
func leadingDigits(s string) string {
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return s[:i]
}

// spec is one side's build.
type spec struct {
	side       string // "base" or "head"
	dockerfile string // absolute
	context    string // absolute
	archive    string // where the image archive goes
	o          *Options
}

// build builds s into s.archive, streaming the output to log.
func (b *builder) build(ctx context.Context, s spec, log *lineLog) error {
	tag := "imagedrift-tmp/" + randomHex(8) + ":" + s.side
	args := b.buildArgs(s, tag)
	log.Printf("$ %s %s", b.bin, strings.Join(redactArgs(args), " "))
	env := b.env
	if s.o.SourceDateEpoch != "" {
		// buildx also reads it from the environment (since v0.10).
		env = append(env[:len(env):len(env)], "SOURCE_DATE_EPOCH="+s.o.SourceDateEpoch)
	}
	if err := b.stream(ctx, log, env, args...); err != nil {
		if b.viaDaemon() {
			b.removeImage(ctx, tag)
		}
		return err
	}
	if !b.viaDaemon() {
		return nil
	}
	defer b.removeImage(ctx, tag)
	if _, err := b.output(ctx, "image", "save", "--output="+s.archive, tag); err != nil {
		return fmt.Errorf("save the built image: %w", err)
	}
	return nil
}

// viaDaemon reports whether the image goes through the daemon's image
// store (a temporary tag, then docker image save) rather than straight to
// an archive.
func (b *builder) viaDaemon() bool { return !b.buildx || b.load }

func (b *builder) buildArgs(s spec, tag string) []string {
	var args []string
	switch {
	case b.buildx:
		args = []string{"buildx", "build", "--progress=plain"}
	case b.kit:
		args = []string{"build", "--progress=plain"}
	default:
		args = []string{"build", "--force-rm"}
	}
	args = append(args, "--file="+s.dockerfile, "--tag="+tag)
	if s.o.Target != "" {
		args = append(args, "--target="+s.o.Target)
	}
	if s.o.Platform != "" {
		args = append(args, "--platform="+s.o.Platform)
	}
	if s.o.Pull {
		args = append(args, "--pull")
	}
	if s.o.NoCache {
		args = append(args, "--no-cache")
	}
	for _, kv := range s.o.BuildArgs {
		args = append(args, "--build-arg="+kv)
	}
	if s.o.SourceDateEpoch != "" {
		args = append(args, "--build-arg="+epochArg+"="+s.o.SourceDateEpoch)
	}
	switch {
	case b.buildx && b.load:
		args = append(args, "--load")
	case b.buildx:
		fields := []string{"type=docker", "dest=" + s.archive}
		if s.o.SourceDateEpoch != "" && b.rewritesTimestamps() {
			fields = append(fields, "rewrite-timestamp=true")
		}
		args = append(args, "--output="+csvRecord(fields...))
	}
	return append(args, s.context)
}

// epochArg is the build argument BuildKit dates the image by; it is no
// secret, and the log shows its value.
const epochArg = "SOURCE_DATE_EPOCH"

// redactArgs hides build-argument values for the log: keys only.
func redactArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if kv, ok := strings.CutPrefix(a, "--build-arg="); ok && !strings.HasPrefix(kv, epochArg+"=") {
			k, _, _ := strings.Cut(kv, "=")
			a = "--build-arg=" + k + "=" + mask
		}
		out[i] = a
	}
	return out
}

// csvRecord joins fields the way buildx parses --output: as a CSV record,
// so a path with a comma or a quote stays one field.
func csvRecord(fields ...string) string {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(fields)
	w.Flush()
	return strings.TrimSuffix(buf.String(), "\n")
}

// stream runs docker in env with its output going to w.
func (b *builder) stream(ctx context.Context, w io.Writer, env []string, args ...string) error {
	cmd := exec.CommandContext(ctx, b.bin, args...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = w, w
	cmd.WaitDelay = 10 * time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("docker %s: %w", args[0], err)
	}
	return nil
}

// output runs docker and returns its standard output; the error carries
// docker's message.
func (b *builder) output(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, b.bin, args...)
	cmd.Env = b.env
	var stdout bytes.Buffer
	stderr := &capped{max: 4 << 10}
	cmd.Stdout, cmd.Stderr = &stdout, stderr
	cmd.WaitDelay = 10 * time.Second
	if err := cmd.Run(); err != nil {
		if msg := oneline.Fold(stderr.String()); msg != "" {
			return "", fmt.Errorf("%w: %s", err, msg)
		}
		return "", err
	}
	return stdout.String(), nil
}

// removeImage drops the temporary tag, also after a cancelled build; the
// tag may not exist when the build failed, so errors are ignored.
func (b *builder) removeImage(ctx context.Context, tag string) {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	b.output(cctx, "image", "rm", "--force", tag)
}
