package image

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// openRegistry fetches the manifest (choosing a platform from an index)
// and the config of a registry image; layers are fetched when read.
func openRegistry(ctx context.Context, ref, refStr string, want v1.Platform, kc authn.Keychain) (v1.Image, map[string]string, error) {
	r, err := name.ParseReference(refStr)
	if err != nil {
		return nil, nil, fail(ref, ErrBadRef, err.Error(), err)
	}
	if kc == nil {
		kc = DefaultKeychain()
	}
	opts := []remote.Option{remote.WithContext(ctx), remote.WithAuthFromKeychain(kc)}
	desc, err := remote.Get(r, opts...)
	if err != nil {
		return nil, nil, registryError(ref, r, err)
	}
	var ann map[string]string
	for depth := 0; desc.MediaType.IsIndex(); depth++ {
		if depth == maxIndexDepth {
			return nil, nil, fail(ref, ErrNotImage, "indexes nested too deep", nil)
		}
		im, err := v1.ParseIndexManifest(bytes.NewReader(desc.Manifest))
		if err != nil {
			return nil, nil, fail(ref, ErrNotImage, "index: "+err.Error(), err)
		}
		ann = mergeAnnotations(ann, im.Annotations)
		d, err := pickPlatform(ref, im, want)
		if err != nil {
			return nil, nil, err
		}
		ann = mergeAnnotations(ann, d.Annotations)
		if desc, err = remote.Get(r.Context().Digest(d.Digest.String()), opts...); err != nil {
			return nil, nil, registryError(ref, r, err)
		}
	}
	if !desc.MediaType.IsImage() {
		return nil, nil, fail(ref, ErrNotImage, fmt.Sprintf("the registry serves a %s, not an image manifest", desc.MediaType), nil)
	}
	img, err := desc.Image()
	if err != nil {
		return nil, nil, fail(ref, ErrNotImage, err.Error(), err)
	}
	m, err := img.Manifest()
	if err != nil {
		return nil, nil, fail(ref, ErrNotImage, "manifest: "+err.Error(), err)
	}
	if mt := m.Config.MediaType; mt != "" && !mt.IsConfig() {
		return nil, nil, fail(ref, ErrNotImage, fmt.Sprintf("an artifact (config media type %s), not an image", mt), nil)
	}
	if _, err := img.ConfigFile(); err != nil {
		return nil, nil, registryError(ref, r, err)
	}
	return img, mergeAnnotations(ann, m.Annotations), nil
}

// registryError turns a remote failure into one line that names the
// registry. Auth failures never quote the request: it may carry tokens.
func registryError(ref string, r name.Reference, err error) error {
	reg := r.Context().RegistryStr()
	var te *transport.Error
	if errors.As(err, &te) {
		switch te.StatusCode {
		case http.StatusUnauthorized, http.StatusForbidden:
			return fail(ref, ErrAuth, fmt.Sprintf(
				"registry %s denied access (HTTP %d); credentials come from the Docker config (docker login %s), or GITHUB_TOKEN for ghcr.io",
				reg, te.StatusCode, reg), err)
		case http.StatusNotFound:
			return fail(ref, ErrNotFound, fmt.Sprintf("registry %s has no %s", reg, r.String()), err)
		}
		for _, d := range te.Errors {
			switch d.Code {
			case transport.ManifestUnknownErrorCode, transport.NameUnknownErrorCode, transport.BlobUnknownErrorCode:
				return fail(ref, ErrNotFound, fmt.Sprintf("registry %s has no %s", reg, r.String()), err)
			case transport.UnauthorizedErrorCode, transport.DeniedErrorCode:
				return fail(ref, ErrAuth, fmt.Sprintf(
					"registry %s denied access; credentials come from the Docker config (docker login %s), or GITHUB_TOKEN for ghcr.io",
					reg, reg), err)
			}
		}
		return fail(ref, ErrNotImage, fmt.Sprintf("registry %s: HTTP %d", reg, te.StatusCode), err)
	}
	if strings.Contains(err.Error(), "docker-credential-") || strings.Contains(err.Error(), "credentials") {
		return fail(ref, ErrAuth, fmt.Sprintf(
			"cannot get credentials for registry %s from the Docker config (its credential helper failed): %v", reg, err), err)
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return fail(ref, ErrUnreachable, fmt.Sprintf("cannot reach registry %s: %v", reg, err), err)
	}
	return fail(ref, ErrUnreachable, fmt.Sprintf("registry %s: %v", reg, err), err)
}

// DefaultKeychain is the Docker config's credentials, then GITHUB_TOKEN
// for ghcr.io when the Docker config has none for it.
func DefaultKeychain() authn.Keychain {
	return authn.NewMultiKeychain(authn.DefaultKeychain, githubTokenKeychain{getenv: os.Getenv})
}

// githubTokenKeychain offers GITHUB_TOKEN to ghcr.io, the way GitHub
// Actions workflows log in to it.
type githubTokenKeychain struct{ getenv func(string) string }

func (k githubTokenKeychain) Resolve(res authn.Resource) (authn.Authenticator, error) {
	tok := k.getenv("GITHUB_TOKEN")
	if res.RegistryStr() != "ghcr.io" || tok == "" {
		return authn.Anonymous, nil
	}
	user := k.getenv("GITHUB_ACTOR")
	if user == "" {
		user = "x-access-token"
	}
	return &authn.Basic{Username: user, Password: tok}, nil
}
