package load

import (
	"context"
	"path/filepath"

	"github.com/imagedrift/imagedrift/internal/build"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/origin"
)

// PairFunc reads two references; Pair is the real one.
type PairFunc func(ctx context.Context, baseRef, headRef string, o Options) (base, head *inventory.Inventory, err error)

// Built reads the two sides that build.Build made, with pair. A side
// without the Dockerfile is an empty image, so that everything reads as
// added (or removed); a built side is named by name, since its temporary
// archive means nothing once it is gone.
func Built(ctx context.Context, res *build.Result, name func(build.Side) string, o Options, pair PairFunc) (base, head *inventory.Inventory, err error) {
	empty := func(s build.Side) *inventory.Inventory {
		return &inventory.Inventory{SchemaVersion: inventory.SchemaVersion, Ref: name(s)}
	}
	switch {
	case res.Base.Missing:
		_, head, err = pair(ctx, res.Head.Ref, res.Head.Ref, o)
		base = empty(res.Base)
	case res.Head.Missing:
		base, _, err = pair(ctx, res.Base.Ref, res.Base.Ref, o)
		head = empty(res.Head)
	default:
		base, head, err = pair(ctx, res.Base.Ref, res.Head.Ref, o)
	}
	if err != nil {
		return nil, nil, err
	}
	rename := func(inv *inventory.Inventory, s build.Side) *inventory.Inventory {
		if !s.Built {
			return inv
		}
		cp := *inv
		cp.Ref = name(s)
		return &cp
	}
	return rename(base, res.Base), rename(head, res.Head), nil
}

// Dockerfiles are the Dockerfiles the sides were built from, named as the
// repository names them (name, built for target); head, when not nil, is
// the head's for a head that was supplied rather than built.
func Dockerfiles(res *build.Result, name, target string, head []byte) [2]*origin.Dockerfile {
	var out [2]*origin.Dockerfile
	for i, src := range [][]byte{res.Base.Dockerfile, res.Head.Dockerfile} {
		if i == 1 && src == nil && !res.Head.Missing {
			src = head
		}
		if src != nil {
			out[i] = &origin.Dockerfile{Name: filepath.ToSlash(name), Source: src, Target: target}
		}
	}
	return out
}
