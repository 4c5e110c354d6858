package image

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/google/go-containerregistry/pkg/authn"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
)

// Options tune Open.
type Options struct {
	Platform     string         // "os/arch[/variant]"; empty = linux/<host GOARCH>
	Keychain     authn.Keychain // nil = Docker config keychain + GITHUB_TOKEN for ghcr.io
	DockerBinary string         // "" = "docker"
	TempDir      string         // "" = os.TempDir(); only daemon: writes a temporary archive there
}

// Image is an opened image. Close it when done: archives stay open while
// layers are read, and a daemon image's temporary archive is removed.
type Image struct {
	Ref         string // the reference as given
	Image       v1.Image
	Annotations map[string]string // manifest (and index entry) annotations, e.g. org.opencontainers.image.base.name/.digest
	// Synthetic is set for docker save archives (and so the daemon): they
	// carry no manifest, so the one go-containerregistry sees is made up
	// here, and its digest (which costs a read of every compressed layer)
	// means nothing outside this run.
	Synthetic bool
	close     func() error
}

// Close releases the image's files and removes a daemon image's
// temporary archive. It is safe to call more than once.
func (i *Image) Close() error {
	if i == nil || i.close == nil {
		return nil
	}
	c := i.close
	i.close = nil
	return c()
}

// Open resolves ref to an image, reading only its manifest and config.
// Every error is an *Error naming ref, with a Kind for errors.Is.
func Open(ctx context.Context, ref string, opts Options) (*Image, error) {
	if _, ok := IsInventory(ref); ok {
		return nil, fail(ref, ErrInventory, "an inventory, not an image: load it as an inventory", nil)
	}
	pr, err := parseRef(ref, pathExists)
	if err != nil {
		return nil, err
	}
	want, err := parsePlatform(opts.Platform)
	if err != nil {
		return nil, fail(ref, ErrPlatform, "invalid platform: "+err.Error(), err)
	}
	switch pr.transport {
	case tDaemon:
		return openDaemon(ctx, ref, pr.name, opts)
	case tRegistry:
		img, ann, err := openRegistry(ctx, ref, pr.name, want, opts.Keychain)
		if err != nil {
			return nil, err
		}
		return &Image{Ref: ref, Image: img, Annotations: ann}, nil
	case tOCI:
		return openLayoutDir(ref, pr.path, pr.sel, want)
	}
	return openFile(ref, pr, want)
}

func pathExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// openLayoutDir opens an OCI layout directory.
func openLayoutDir(ref, dir, sel string, want v1.Platform) (*Image, error) {
	if err := statKind(ref, dir, true); err != nil {
		return nil, err
	}
	p, err := layout.FromPath(dir)
	if err != nil {
		return nil, fail(ref, ErrNotImage, "directory without index.json: not an OCI layout", err)
	}
	img, ann, err := openOCI(ref, dirBlobs{p}, sel, want)
	if err != nil {
		return nil, err
	}
	return &Image{Ref: ref, Image: img, Annotations: ann}, nil
}

// openFile opens docker-archive:, oci-archive: and bare paths, which may
// also be OCI layout directories.
func openFile(ref string, pr parsedRef, want v1.Platform) (*Image, error) {
	if pr.transport == tPath {
		if st, err := os.Stat(pr.path); err == nil && st.IsDir() {
			return openBareDir(ref, pr.path, want)
		}
	}
	if err := statKind(ref, pr.path, false); err != nil {
		return nil, err
	}
	if what := sniffFile(pr.path); what != "" {
		return nil, fail(ref, ErrNotImage, what, nil)
	}
	ti, err := indexTar(pr.path)
	if err != nil {
		if errors.Is(err, errNotTar) {
			return nil, fail(ref, ErrNotImage, "not a tar archive ("+describeFile(pr.path)+")", err)
		}
		return nil, fail(ref, ErrNotImage, "unreadable tar archive: "+err.Error(), err)
	}
	img, ann, synthetic, err := openArchive(ref, ti, pr, want)
	if err != nil {
		ti.Close()
		return nil, err
	}
	return &Image{Ref: ref, Image: img, Annotations: ann, Synthetic: synthetic, close: ti.Close}, nil
}

func openArchive(ref string, ti *tarIndex, pr parsedRef, want v1.Platform) (img v1.Image, ann map[string]string, synthetic bool, err error) {
	isDocker, isOCI := ti.has("manifest.json"), ti.has("index.json")
	switch pr.transport {
	case tDockerArchive:
		if !isDocker && isOCI {
			return nil, nil, false, fail(ref, ErrNotImage, "an OCI archive (index.json, no manifest.json): use oci-archive:"+pr.path, nil)
		}
		img, err := openDockerArchive(ref, ti, pr.sel)
		return img, nil, true, err
	case tOCIArchive:
		if !isOCI && isDocker {
			return nil, nil, false, fail(ref, ErrNotImage, "a docker save archive (manifest.json, no index.json): use docker-archive:"+pr.path, nil)
		}
		img, ann, err := openOCI(ref, tarBlobs{ti}, pr.sel, want)
		return img, ann, false, err
	}
	// A bare path: docker save archives from Docker 25 on hold both an
	// OCI layout and manifest.json; manifest.json keeps the tags.
	switch {
	case isDocker:
		img, err := openDockerArchive(ref, ti, "")
		return img, nil, true, err
	case isOCI:
		img, ann, err := openOCI(ref, tarBlobs{ti}, "", want)
		return img, ann, false, err
	}
	return nil, nil, false, fail(ref, ErrNotImage, fmt.Sprintf(
		"a tar archive without manifest.json or index.json, not an image archive (entries: %s)", ti.firstNames(6)), nil)
}

// openBareDir accepts a directory only when it is an OCI layout.
func openBareDir(ref, dir string, want v1.Platform) (*Image, error) {
	switch {
	case pathExists(dir+"/oci-layout") || pathExists(dir+"/index.json"):
		return openLayoutDir(ref, dir, "", want)
	case pathExists(dir + "/manifest.json"):
		return nil, fail(ref, ErrNotImage, "a directory with manifest.json but no oci-layout (an unpacked docker save? pass the tar itself)", nil)
	}
	return nil, fail(ref, ErrNotImage, "a directory without oci-layout or index.json, not an OCI layout", nil)
}

// statKind reports a missing path, or one of the wrong kind.
func statKind(ref, p string, wantDir bool) error {
	st, err := os.Stat(p)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fail(ref, ErrNotFound, "no such file or directory: "+p, err)
	case err != nil:
		return fail(ref, ErrNotFound, err.Error(), err)
	case wantDir && !st.IsDir():
		return fail(ref, ErrNotImage, "a file, not an OCI layout directory (a tar? use oci-archive: or docker-archive:)", nil)
	case !wantDir && st.IsDir():
		return fail(ref, ErrNotImage, "a directory, not an archive (an OCI layout? use oci:"+p+")", nil)
	case !wantDir && !st.Mode().IsRegular():
		return fail(ref, ErrNotImage, "not a regular file ("+st.Mode().Type().String()+")", nil)
	}
	return nil
}
