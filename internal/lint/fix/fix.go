package fix

import (
	"context"
	"fmt"
	"strings"

	"github.com/imagedrift/imagedrift/internal/lint"
)

// Resolver tells the digest a reference points at now.
type Resolver interface {
	// Digest returns "sha256:…" for ref (image:tag). For a multi-platform
	// tag it is the digest of the index, which covers every platform.
	Digest(ctx context.Context, ref string) (string, error)
}

// Pinned is a FROM reference that was rewritten.
type Pinned struct {
	Line int
	From string
	To   string
}

// Skipped is a FROM reference left alone, and why.
type Skipped struct {
	Line   int
	Image  string
	Reason string
}

// Result says what Pin did.
type Result struct {
	Pinned  []Pinned
	Skipped []Skipped
}

// Pin rewrites each FROM image:tag of src as image:tag@sha256:… (the tag is
// kept for readers). Stage references, scratch, references built from
// build arguments and already pinned ones are left alone and reported as
// skipped. Everything else in the file is preserved byte for byte. An
// image the resolver cannot resolve fails the whole call, so a file is
// never half pinned.
func Pin(ctx context.Context, name string, src []byte, r Resolver) ([]byte, Result, error) {
	bases, err := lint.BaseImages(name, src)
	if err != nil {
		return nil, Result{}, err
	}
	var res Result
	type edit struct {
		start, end int
		to         string
	}
	var edits []edit
	cache := map[string]string{}
	for _, b := range bases {
		if reason := skipReason(b); reason != "" {
			res.Skipped = append(res.Skipped, Skipped{Line: b.Line, Image: b.Image, Reason: reason})
			continue
		}
		digest, ok := cache[b.Image]
		if !ok {
			digest, err = r.Digest(ctx, b.Image)
			if err != nil {
				return nil, Result{}, fmt.Errorf("%s:%d: resolve %s: %w", name, b.Line, b.Image, err)
			}
			if !strings.HasPrefix(digest, "sha256:") || len(digest) != len("sha256:")+64 {
				return nil, Result{}, fmt.Errorf("%s:%d: resolve %s: unexpected digest %q", name, b.Line, b.Image, digest)
			}
			cache[b.Image] = digest
		}
		to := b.Image + "@" + digest
		edits = append(edits, edit{b.Start, b.End, to})
		res.Pinned = append(res.Pinned, Pinned{Line: b.Line, From: b.Image, To: to})
	}
	out := make([]byte, 0, len(src)+len(edits)*72)
	last := 0
	for _, e := range edits {
		out = append(out, src[last:e.start]...)
		out = append(out, e.to...)
		last = e.end
	}
	out = append(out, src[last:]...)
	return out, res, nil
}

func skipReason(b lint.BaseImage) string {
	switch {
	case b.Kind == lint.KindStage:
		return "refers to an earlier stage"
	case b.Kind == lint.KindScratch:
		return "scratch has no digest"
	case b.Kind == lint.KindArg || strings.Contains(b.Image, "$"):
		return "built from a build argument; pin the digest in the ARG default"
	case strings.Contains(b.Image, "@"):
		return "already pinned"
	case b.Start < 0:
		return "written across lines or quoted; edit it by hand"
	}
	return ""
}
