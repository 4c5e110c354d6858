package build

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// TwiceResult is what Twice built.
type TwiceResult struct {
	First, Second Side
	// Epoch is the SOURCE_DATE_EPOCH both builds had: the commit's time.
	Epoch string
	// Builder says how the images were built, for the report.
	Builder string
	// RewritesTimestamps is set when the builder rewrote the layers' file
	// times to Epoch; without it, files written during the build carry
	// the time of each build.
	RewritesTimestamps bool
}

// Twice builds the working tree at o.RepoDir twice, one build after the
// other, with no cache (each build runs every step anew) and the same
// SOURCE_DATE_EPOCH: the commit's time unless o.SourceDateEpoch is set. A
// reproducible Dockerfile gives the same image both times. The base
// options (BaseRef, BaseImage) and HeadImage are not used.
func Twice(ctx context.Context, o Options) (*TwiceResult, error) {
	o.BaseRef, o.BaseImage, o.HeadImage = "", "", ""
	o.NoCache = true
	if err := o.defaults(); err != nil {
		return nil, err
	}
	if err := o.checkTrust(); err != nil {
		return nil, err
	}
	if err := o.checkWorkDir(); err != nil {
		return nil, err
	}
	r := &runner{o: &o, git: git{bin: o.Git, dir: o.RepoDir}}
	commit, _ := r.git.resolve(ctx, "HEAD")
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if o.SourceDateEpoch == "" {
		if commit == "" {
			return nil, errors.New("building twice needs a commit for SOURCE_DATE_EPOCH: " +
				o.RepoDir + " is not a git checkout with a commit (set SOURCE_DATE_EPOCH instead)")
		}
		t, err := r.git.run(ctx, "log", "-1", "--format=%ct", commit)
		if err != nil {
			return nil, fmt.Errorf("commit time of %s: %w", shortSHA(commit), err)
		}
		o.SourceDateEpoch = t
		if err := checkEpoch(t); err != nil {
			return nil, fmt.Errorf("commit time of %s: %w", shortSHA(commit), err)
		}
	}
	if _, err := os.Stat(filepath.Join(o.RepoDir, o.Dockerfile)); err != nil {
		return nil, fmt.Errorf("build twice: %w", err)
	}
	res := &TwiceResult{Epoch: o.SourceDateEpoch}
	for _, side := range []struct {
		name string
		dst  *Side
	}{{"first", &res.First}, {"second", &res.Second}} {
		ref, err := r.image(ctx, side.name, commit, o.RepoDir)
		if err != nil {
			return nil, err
		}
		*side.dst = Side{Ref: ref, Commit: commit, Built: true}
	}
	res.Builder, res.RewritesTimestamps = r.b.mode(), r.b.rewritesTimestamps()
	return res, nil
}
