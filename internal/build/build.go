package build

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Build builds the base and head images of a pull request and returns
// docker-archive references to them in o.WorkDir. The head is the working
// tree at o.RepoDir; the base is o.BaseRef, checked out into a temporary
// git worktree that is removed before Build returns, whatever happened.
// A side whose Dockerfile does not exist is reported Missing, not an error;
// a side given as an image (BaseImage, HeadImage) is not built.
func Build(ctx context.Context, o Options) (*Result, error) {
	if err := o.normalize(); err != nil {
		return nil, err
	}
	r := &runner{o: &o, git: git{bin: o.Git, dir: o.RepoDir}}
	res := &Result{
		Base: Side{Ref: o.BaseImage},
		Head: Side{Ref: o.HeadImage},
	}
	if o.BaseImage == "" {
		side, err := r.base(ctx)
		if err != nil {
			return nil, err
		}
		res.Base = side
	}
	if o.HeadImage == "" {
		side, err := r.head(ctx)
		if err != nil {
			return nil, err
		}
		res.Head = side
	}
	if res.Base.Missing && res.Head.Missing {
		return nil, fmt.Errorf("%s exists neither at the base (%s) nor at the head (%s)",
			o.Dockerfile, describeCommit(res.Base.Commit), describeCommit(res.Head.Commit))
	}
	return res, nil
}

// runner carries one Build's options and the builder found for it.
type runner struct {
	o   *Options
	git git
	b   *builder
}

// base builds the base commit from a temporary worktree.
func (r *runner) base(ctx context.Context) (side Side, err error) {
	commit, err := r.git.resolve(ctx, r.o.BaseRef)
	if err != nil {
		if ctx.Err() != nil {
			return Side{}, err
		}
		fmt.Fprintf(r.o.Log, "base %s is not in the checkout: fetching it from origin\n", r.o.BaseRef)
		if commit, err = r.git.fetch(ctx, r.o.BaseRef); err != nil {
			return Side{}, err
		}
	}
	ok, err := r.git.hasFile(ctx, commit, r.o.Dockerfile)
	if err != nil {
		return Side{}, fmt.Errorf("look for %s at base %s: %w", r.o.Dockerfile, shortSHA(commit), err)
	}
	if !ok {
		fmt.Fprintf(r.o.Log, "base %s has no %s: every file of the head counts as added\n", shortSHA(commit), r.o.Dockerfile)
		return Side{Commit: commit, Missing: true}, nil
	}
	dir, err := os.MkdirTemp(r.o.WorkDir, "base-src-")
	if err != nil {
		return Side{}, fmt.Errorf("base worktree: %w", err)
	}
	remove, err := r.git.addWorktree(ctx, dir, commit)
	defer func() {
		if rmErr := remove(); rmErr != nil {
			err = errors.Join(err, rmErr)
		}
	}()
	if err != nil {
		return Side{}, fmt.Errorf("check out base %s: %w", shortSHA(commit), err)
	}
	ref, err := r.image(ctx, "base", commit, dir)
	if err != nil {
		return Side{}, err
	}
	return Side{Ref: ref, Commit: commit, Built: true, Dockerfile: r.readDockerfile(dir)}, nil
}

// head builds the checkout's working tree as it is.
func (r *runner) head(ctx context.Context) (Side, error) {
	// The head may be a plain directory when the base is a supplied image:
	// then there is no commit to name.
	commit, _ := r.git.resolve(ctx, "HEAD")
	if ctx.Err() != nil {
		return Side{}, ctx.Err()
	}
	_, err := os.Stat(filepath.Join(r.o.RepoDir, r.o.Dockerfile))
	if errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(r.o.Log, "head (%s) has no %s: every file of the base counts as removed\n", describeCommit(commit), r.o.Dockerfile)
		return Side{Commit: commit, Missing: true}, nil
	}
	if err != nil {
		return Side{}, fmt.Errorf("look for %s at head: %w", r.o.Dockerfile, err)
	}
	ref, err := r.image(ctx, "head", commit, r.o.RepoDir)
	if err != nil {
		return Side{}, err
	}
	return Side{Ref: ref, Commit: commit, Built: true, Dockerfile: r.readDockerfile(r.o.RepoDir)}, nil
}

// maxDockerfile bounds the Dockerfile kept of a side; real ones are a few
// KB.
const maxDockerfile = 4 << 20

// readDockerfile reads the Dockerfile a side was built from in dir; nil
// when it cannot be read whole, as the build read it already.
func (r *runner) readDockerfile(dir string) []byte {
	f, err := os.Open(filepath.Join(dir, r.o.Dockerfile))
	if err != nil {
		return nil
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxDockerfile+1))
	if err != nil || len(b) > maxDockerfile {
		return nil
	}
	return b
}

// image builds one side from the tree at dir into an archive in WorkDir.
func (r *runner) image(ctx context.Context, side, commit, dir string) (string, error) {
	if r.b == nil {
		b, err := detectBuilder(ctx, r.o.Docker)
		if err != nil {
			return "", err
		}
		r.b = b
		fmt.Fprintf(r.o.Log, "building with %s\n", b.mode())
	}
	archive, err := newArchive(r.o.WorkDir, side)
	if err != nil {
		return "", err
	}
	log := newLineLog(r.o.Log, r.o.BuildArgs)
	g := beginGroup(r.o.Log, r.o.GitHubActions, fmt.Sprintf("Build %s image (%s)", side, describeCommit(commit)))
	err = r.b.build(ctx, spec{
		side:       side,
		dockerfile: filepath.Join(dir, r.o.Dockerfile),
		context:    filepath.Join(dir, r.o.Context),
		archive:    archive,
		o:          r.o,
	}, log)
	log.Flush()
	g.end()
	if err != nil {
		os.Remove(archive)
		if ctx.Err() != nil {
			return "", fmt.Errorf("build %s image (%s): %w", side, describeCommit(commit), ctx.Err())
		}
		tail := log.Tail()
		return "", &BuildError{Side: side, Commit: commit, Err: r.b.explain(err, r.o, tail), tail: tail}
	}
	return "docker-archive:" + archive, nil
}

// newArchive reserves a unique archive path in dir, so two builds sharing a
// work directory cannot overwrite each other's images.
func newArchive(dir, side string) (string, error) {
	f, err := os.CreateTemp(dir, side+"-*.tar")
	if err != nil {
		return "", fmt.Errorf("image archive: %w", err)
	}
	name, err := filepath.Abs(f.Name())
	f.Close()
	if err != nil {
		return "", fmt.Errorf("image archive: %w", err)
	}
	return name, nil
}
