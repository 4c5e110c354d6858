package fix

import (
	"context"
	"fmt"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// Registry resolves tags by asking their registry, with the credentials
// of the Docker config.
type Registry struct {
	// Options are added to the defaults (context, keychain auth); tests
	// pass a transport here.
	Options []remote.Option
}

// Digest asks for the manifest's digest with a HEAD request, and falls
// back to GET for registries that answer HEAD without one. The digest is
// that of whatever the tag points at: for a multi-platform image, the
// index, as Renovate and Dependabot pin it.
func (r Registry) Digest(ctx context.Context, ref string) (string, error) {
	tag, err := name.ParseReference(ref)
	if err != nil {
		return "", fmt.Errorf("parse reference: %w", err)
	}
	opts := append([]remote.Option{
		remote.WithContext(ctx),
		remote.WithAuthFromKeychain(authn.DefaultKeychain),
		remote.WithUserAgent("imagedrift"),
	}, r.Options...)
	if d, err := remote.Head(tag, opts...); err == nil && d.Digest.Hex != "" {
		return d.Digest.String(), nil
	}
	d, err := remote.Get(tag, opts...)
	if err != nil {
		return "", err
	}
	return d.Digest.String(), nil
}
