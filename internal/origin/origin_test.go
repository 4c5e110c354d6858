package origin

import (
	"reflect"
	"testing"

	"github.com/imagedrift/imagedrift/internal/inventory"
)

// image makes an inventory whose history is hist: a created_by per entry,
// "-" before it for an entry that made no layer.
func image(hist ...string) *inventory.Inventory {
	inv := &inventory.Inventory{}
	for _, h := range hist {
		e := inventory.History{CreatedBy: h}
		if len(h) > 0 && h[0] == '-' {
			e = inventory.History{CreatedBy: h[1:], EmptyLayer: true}
		} else {
			inv.Layers = append(inv.Layers, inventory.Layer{DiffID: "sha256:" + h})
		}
		inv.Config.History = append(inv.Config.History, e)
	}
	return inv
}

const dockerfile = `FROM debian:bookworm@sha256:abc
ARG V=1
RUN apt-get update && \
    apt-get install -y curl
COPY app /usr/local/bin/app
ENV A=1
WORKDIR /srv
CMD ["app"]
`

func kinds(s Side) []string {
	var out []string
	for _, l := range s.Layers {
		k := string(l.Kind)
		if l.Kind == Instruction {
			k += ":" + itoa(l.Line) + " " + l.Instruction
		}
		out = append(out, k)
	}
	return out
}

func itoa(n int) string {
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

func TestAttributeBuildKit(t *testing.T) {
	head := image("# debian.sh --arch 'amd64' out/ 'bookworm' '@1700000000'", `-CMD ["bash"]`,
		"-ARG V=1",
		"RUN |1 V=1 /bin/sh -c apt-get update &&     apt-get install -y curl # buildkit",
		"COPY app /usr/local/bin/app # buildkit",
		"-ENV A=1",
		"WORKDIR /srv",
		`-CMD ["app"]`)
	df := &Dockerfile{Name: "Dockerfile", Source: []byte(dockerfile)}
	_, h := Attribute(Input{}, Input{Inventory: head, Dockerfile: df}, 0)
	want := []string{"base", "instruction:3 RUN apt-get update && apt-get install -y curl",
		"instruction:5 COPY app /usr/local/bin/app", "instruction:7 WORKDIR /srv"}
	if got := kinds(h); !reflect.DeepEqual(got, want) {
		t.Errorf("layers\n got %q\nwant %q", got, want)
	}
	if h.DecidedBy != ByDockerfile || h.BaseName != "debian:bookworm" || h.BaseDigest != "sha256:abc" || h.NoBase || h.BaseLayers() != 1 {
		t.Errorf("side %+v", h)
	}
}

func TestAttributeClassicBuilder(t *testing.T) {
	head := image("/bin/sh -c #(nop) ADD file:5d6 in / ", `-/bin/sh -c #(nop)  CMD ["bash"]`,
		"-/bin/sh -c #(nop)  ARG V=1",
		"|1 V=1 /bin/sh -c apt-get update &&     apt-get install -y curl",
		"/bin/sh -c #(nop) COPY file:0a1 in /usr/local/bin/app ",
		"-/bin/sh -c #(nop)  ENV A=1",
		"/bin/sh -c #(nop) WORKDIR /srv",
		`-/bin/sh -c #(nop)  CMD ["app"]`)
	_, h := Attribute(Input{}, Input{Inventory: head, Dockerfile: &Dockerfile{Name: "Dockerfile", Source: []byte(dockerfile)}}, 0)
	if h.BaseLayers() != 1 || len(h.Layers) != 4 || h.Layers[3].Line != 7 {
		t.Errorf("layers %q", kinds(h))
	}
}

// A pull request that moves FROM keeps the instructions: the base side,
// built before it, lines up with the head's Dockerfile, and its base
// image is not named after the head's FROM.
func TestAttributeOtherSidesDockerfile(t *testing.T) {
	base := image("# trixie rootfs", "# extra base layer", "RUN /bin/sh -c apt-get update && apt-get install -y curl # buildkit",
		"COPY app /usr/local/bin/app # buildkit", "WORKDIR /srv")
	head := image("# bookworm rootfs", "RUN /bin/sh -c apt-get update && apt-get install -y curl # buildkit",
		"COPY app /usr/local/bin/app # buildkit", "WORKDIR /srv")
	b, h := Attribute(Input{Inventory: base}, Input{Inventory: head, Dockerfile: &Dockerfile{Name: "Dockerfile", Source: []byte(dockerfile)}}, 0)
	if b.BaseLayers() != 2 || b.DecidedBy != ByDockerfile || b.BaseName != "" || h.BaseLayers() != 1 {
		t.Errorf("base %q %+v; head %q", kinds(b), b, kinds(h))
	}
}

func TestAttributeWithoutDockerfile(t *testing.T) {
	base := image("a", "b", "c")
	head := image("a", "b", "d", "e")
	b, h := Attribute(Input{Inventory: base}, Input{Inventory: head}, 2)
	if b.DecidedBy != BySharedLayers || b.BaseLayers() != 2 || h.BaseLayers() != 2 || h.Layers[3].Kind != Image {
		t.Errorf("base %q, head %q", kinds(b), kinds(h))
	}
	b, h = Attribute(Input{Inventory: base, AnnotatedDigest: "sha256:1"}, Input{Inventory: head, AnnotatedDigest: "sha256:1"}, 2)
	if b.DecidedBy != ByAnnotations || h.DecidedBy != ByAnnotations {
		t.Errorf("annotations: %+v %+v", b, h)
	}
	b, h = Attribute(Input{Inventory: base}, Input{Inventory: head}, 0)
	if b.Known() || h.Known() || b.BaseLayers() != 0 || h.Layers[0].Kind != Unknown {
		t.Errorf("nothing shared: %+v %+v", b, h)
	}
	// A Dockerfile the history does not fit is not used.
	_, h = Attribute(Input{}, Input{Inventory: head, Dockerfile: &Dockerfile{Name: "Dockerfile", Source: []byte(dockerfile)}}, 2)
	if h.DecidedBy != BySharedLayers || h.Dockerfile != "" {
		t.Errorf("unfitting Dockerfile: %+v", h)
	}
}

func TestAttributeNoBase(t *testing.T) {
	one := image("debootstrap")
	_, h := Attribute(Input{}, Input{Inventory: one}, 0)
	if !h.NoBase {
		t.Errorf("a single layer without annotations has no base: %+v", h)
	}
	_, h = Attribute(Input{}, Input{Inventory: one, AnnotatedName: "debian:12"}, 0)
	if h.NoBase {
		t.Errorf("an annotated base: %+v", h)
	}
	scratch := image("COPY app / # buildkit", "COPY etc /etc # buildkit")
	_, h = Attribute(Input{}, Input{Inventory: scratch, Dockerfile: &Dockerfile{Name: "Dockerfile", Source: []byte("FROM scratch\nCOPY app /\nCOPY etc /etc\n")}}, 0)
	if !h.NoBase || h.BaseLayers() != 0 || h.Layers[1].Line != 3 {
		t.Errorf("FROM scratch: %q %+v", kinds(h), h)
	}
}

func TestRecorded(t *testing.T) {
	for in, want := range map[string][2]string{
		"RUN /bin/sh -c make # buildkit":                {"RUN", "make"},
		"RUN |2 A=1 B=2 /bin/sh -c make all # buildkit": {"RUN", "make all"},
		"RUN app --flag # buildkit":                     {"RUN", "app --flag"},
		"/bin/sh -c #(nop)  ENV A=1":                    {"ENV", "A=1"},
		"/bin/sh -c make":                               {"RUN", "make"},
		"|1 A=1 /bin/sh -c make":                        {"RUN", "make"},
		"WORKDIR /srv":                                  {"WORKDIR", "/srv"},
		"":                                              {"", ""},
	} {
		kw, args := recorded(in)
		if kw != want[0] || args != want[1] {
			t.Errorf("recorded(%q) = %q, %q; want %q", in, kw, args, want)
		}
	}
}
