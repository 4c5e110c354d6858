package image

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Annotations naming an image inside an OCI layout's index.json.
const (
	annotRefName       = "org.opencontainers.image.ref.name"
	annotContainerName = "io.containerd.image.name"
)

// parsePlatform reads "os/arch[/variant]"; empty means linux on the
// host's architecture.
func parsePlatform(s string) (v1.Platform, error) {
	if s == "" {
		return v1.Platform{OS: "linux", Architecture: runtime.GOARCH}, nil
	}
	p, err := v1.ParsePlatform(s)
	if err != nil {
		return v1.Platform{}, err
	}
	if p.OS == "" || p.Architecture == "" || strings.Contains(s, ":") {
		return v1.Platform{}, fmt.Errorf("want os/arch[/variant], got %q", s)
	}
	return *p, nil
}

// defaultVariant fills the variant an architecture implies when none is
// written, so linux/arm64 matches linux/arm64/v8.
func defaultVariant(p v1.Platform) string {
	if p.Variant != "" {
		return p.Variant
	}
	switch p.Architecture {
	case "arm64":
		return "v8"
	case "arm":
		return "v7"
	}
	return ""
}

func platformString(p *v1.Platform) string {
	if p == nil {
		return "unknown"
	}
	s := p.OS + "/" + p.Architecture
	if p.Variant != "" {
		s += "/" + p.Variant
	}
	return s
}

// pickPlatform chooses the entry of a multi-platform index for want.
func pickPlatform(ref string, im *v1.IndexManifest, want v1.Platform) (v1.Descriptor, error) {
	var avail []string
	for _, d := range im.Manifests {
		p := d.Platform
		if p == nil {
			continue
		}
		if p.OS == want.OS && p.Architecture == want.Architecture && defaultVariant(*p) == defaultVariant(want) {
			return d, nil
		}
		if p.OS != "unknown" { // attestation manifests, not runnable images
			avail = append(avail, platformString(p))
		}
	}
	if len(avail) == 0 && len(im.Manifests) == 1 {
		return im.Manifests[0], nil // an index of one image without platform
	}
	if len(avail) == 0 {
		return v1.Descriptor{}, fail(ref, ErrPlatform, fmt.Sprintf(
			"platform %s not in the index: its %d entries name no platform", platformString(&want), len(im.Manifests)), nil)
	}
	return v1.Descriptor{}, fail(ref, ErrPlatform, fmt.Sprintf(
		"platform %s not in the index (available: %s); choose one with --platform",
		platformString(&want), strings.Join(capList(avail, 20), ", ")), nil)
}

// pickEntry chooses an entry of a layout's index.json: by sel (a
// ref.name, an image name, or @N), the only one, or by platform.
func pickEntry(ref string, root *v1.IndexManifest, sel string, want v1.Platform) (v1.Descriptor, error) {
	ms := root.Manifests
	switch {
	case len(ms) == 0:
		return v1.Descriptor{}, fail(ref, ErrNotImage, "index.json lists no manifest", nil)
	case strings.HasPrefix(sel, "@"):
		n, err := strconv.Atoi(sel[1:])
		if err != nil || n < 0 || n >= len(ms) {
			return v1.Descriptor{}, fail(ref, ErrNotFound, fmt.Sprintf(
				"no entry %s: index.json has %d (%s)", sel, len(ms), entryNames(ms)), nil)
		}
		return ms[n], nil
	case sel != "":
		for _, d := range ms {
			if entryMatches(d, sel) {
				return d, nil
			}
		}
		return v1.Descriptor{}, fail(ref, ErrNotFound, fmt.Sprintf(
			"no image named %q in index.json (%s)", sel, entryNames(ms)), nil)
	case len(ms) == 1:
		return ms[0], nil
	}
	for _, d := range ms {
		if d.Platform == nil || !d.MediaType.IsImage() {
			return v1.Descriptor{}, fail(ref, ErrAmbiguous, fmt.Sprintf(
				"index.json lists %d entries (%s); choose one with oci:DIR:NAME or oci:DIR:@N", len(ms), entryNames(ms)), nil)
		}
	}
	return pickPlatform(ref, root, want)
}

func entryMatches(d v1.Descriptor, sel string) bool {
	if d.Annotations[annotRefName] == sel || d.Annotations[annotContainerName] == sel {
		return true
	}
	cn, ok := d.Annotations[annotContainerName]
	if !ok {
		return false
	}
	a, err1 := name.ParseReference(cn)
	b, err2 := name.ParseReference(sel)
	return err1 == nil && err2 == nil && a.Name() == b.Name()
}

// entryNames lists index.json entries for messages.
func entryNames(ms []v1.Descriptor) string {
	var out []string
	for i, d := range ms {
		n := d.Annotations[annotRefName]
		if n == "" {
			n = d.Annotations[annotContainerName]
		}
		if n == "" && d.Platform != nil {
			n = platformString(d.Platform)
		}
		if n == "" {
			n = "unnamed"
		}
		out = append(out, fmt.Sprintf("@%d %s", i, n))
	}
	return "entries: " + strings.Join(capList(out, 10), ", ")
}

func capList(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	return append(s[:n:n], fmt.Sprintf("… %d more", len(s)-n))
}
