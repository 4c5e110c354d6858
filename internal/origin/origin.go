package origin

import (
	"strconv"
	"strings"

	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/lint"
)

// Kind says where a layer came from.
type Kind string

const (
	Base        Kind = "base"        // a layer of the base image
	Instruction Kind = "instruction" // made by an instruction of the Dockerfile
	Image       Kind = "image"       // the image's own; which instruction made it is not known
	Unknown     Kind = "unknown"     // the base image's or the image's own: the two could not be told apart
)

// How the base image's layers were told apart from the image's own.
const (
	ByDockerfile   = "dockerfile"    // the image's history lined up with the Dockerfile
	ByAnnotations  = "annotations"   // both sides name the same base, and share their bottom layers
	BySharedLayers = "shared-layers" // the bottom layers both images share
)

// Layer is the origin of one layer.
type Layer struct {
	Kind Kind
	// Line and Instruction are the Dockerfile instruction that made the
	// layer (Kind Instruction): its first line and its text as written.
	Line        int
	Instruction string
}

// Side is what is known of where one image's layers came from.
type Side struct {
	// Layers has one entry per layer of the image; nil when the image
	// has none.
	Layers []Layer
	// BaseName and BaseDigest name the base image, where the Dockerfile's
	// FROM line or the image's annotations do.
	BaseName, BaseDigest string
	// NoBase is set for an image built FROM scratch, and for one of a
	// single layer that names no base: it has no base image.
	NoBase bool
	// DecidedBy is how the base layers were told apart (ByDockerfile,
	// ByAnnotations, BySharedLayers); "" when they could not be.
	DecidedBy string
	// Dockerfile names the Dockerfile the layers were matched with.
	Dockerfile string
}

// BaseLayers is how many bottom layers are the base image's.
func (s *Side) BaseLayers() int {
	n := 0
	for n < len(s.Layers) && s.Layers[n].Kind == Base {
		n++
	}
	return n
}

// Known reports whether the base layers were told apart.
func (s *Side) Known() bool { return s.DecidedBy != "" }

// Dockerfile is a Dockerfile an image was built from.
type Dockerfile struct {
	Name   string // as reports show it ("Dockerfile", "docker/app.Dockerfile")
	Source []byte
	Target string // the stage built; "" for the last
}

// Input is one side to attribute.
type Input struct {
	Inventory  *inventory.Inventory
	Dockerfile *Dockerfile // nil when not known
	// AnnotatedName and AnnotatedDigest are the base image the image's
	// annotations (or labels) name.
	AnnotatedName, AnnotatedDigest string
}

// Attribute tells where the layers of both images came from. Each side is
// matched with its own Dockerfile, else with the other side's (a pull
// request that only moves FROM keeps the same instructions); failing
// both, the bottom layers the images share are taken as the base when
// there are any. shared is how many bottom layers the images share.
func Attribute(base, head Input, shared int) (Side, Side) {
	b, h := side(base, head.Dockerfile), side(head, base.Dockerfile)
	for _, s := range []*Side{&b, &h} {
		if s.Known() || s.NoBase || shared == 0 {
			continue
		}
		s.DecidedBy = BySharedLayers
		if base.AnnotatedDigest != "" && base.AnnotatedDigest == head.AnnotatedDigest {
			s.DecidedBy = ByAnnotations
		}
		for i := range s.Layers {
			s.Layers[i].Kind = Image
			if i < shared {
				s.Layers[i].Kind = Base
			}
		}
	}
	return b, h
}

// side attributes one image with its own Dockerfile, else other's.
func side(in Input, other *Dockerfile) Side {
	s := Side{BaseName: in.AnnotatedName, BaseDigest: in.AnnotatedDigest}
	inv := in.Inventory
	if inv == nil {
		return s
	}
	s.NoBase = len(inv.Layers) == 1 && in.AnnotatedName == "" && in.AnnotatedDigest == ""
	s.Layers = make([]Layer, len(inv.Layers))
	for i := range s.Layers {
		s.Layers[i].Kind = Unknown
		if s.NoBase {
			s.Layers[i].Kind = Image // nothing to tell apart
		}
	}
	for _, df := range []*Dockerfile{in.Dockerfile, other} {
		if df == nil {
			continue
		}
		from, steps, err := lint.Steps(df.Name, df.Source, df.Target)
		if err != nil {
			continue
		}
		layers, ok := match(inv, steps)
		if !ok {
			continue
		}
		s.Layers, s.DecidedBy, s.Dockerfile = layers, ByDockerfile, df.Name
		s.NoBase = from.Kind == lint.KindScratch
		if s.NoBase {
			s.BaseName, s.BaseDigest = "", ""
		}
		if df == in.Dockerfile && from.Kind == lint.KindImage {
			name, digest := splitDigest(from.Ref)
			s.BaseName = or(s.BaseName, name)
			s.BaseDigest = or(s.BaseDigest, digest)
		}
		return s
	}
	return s
}

// splitDigest cuts "debian:12@sha256:…" into the reference and digest.
func splitDigest(ref string) (string, string) {
	if name, digest, ok := strings.Cut(ref, "@"); ok {
		return name, digest
	}
	return ref, ""
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Where says in a few words where a layer of the image came from:
// "Dockerfile:12", "the base image debian:bookworm", "layer 3"; "" for a
// layer the side does not have.
func (s *Side) Where(layer int) string {
	if layer < 0 || layer >= len(s.Layers) {
		return ""
	}
	switch l := s.Layers[layer]; l.Kind {
	case Base:
		if s.BaseName != "" {
			return "the base image " + s.BaseName
		}
		return "the base image"
	case Instruction:
		return s.Dockerfile + ":" + strconv.Itoa(l.Line)
	}
	return "layer " + strconv.Itoa(layer+1)
}
