package origin

import (
	"strings"
	"testing"
)

// FuzzAttribute feeds arbitrary history entries and Dockerfiles: the
// result has one origin per layer, and the base layers come first.
func FuzzAttribute(f *testing.F) {
	f.Add("# rootfs\n-CMD [\"bash\"]\nRUN |1 V=1 /bin/sh -c make # buildkit\nCOPY a /b # buildkit", dockerfile)
	f.Add("|99 /bin/sh -c\n|x\n", "FROM scratch\nRUN [\"a\",\n")
	f.Fuzz(func(t *testing.T, hist, df string) {
		inv := image(strings.Split(hist, "\n")...)
		b, h := Attribute(Input{Inventory: inv, Dockerfile: &Dockerfile{Name: "Dockerfile", Source: []byte(df)}}, Input{Inventory: inv}, 1)
		for _, s := range []Side{b, h} {
			if len(s.Layers) != len(inv.Layers) {
				t.Fatalf("%d origins for %d layers", len(s.Layers), len(inv.Layers))
			}
			for i, l := range s.Layers {
				if l.Kind == Base && i > 0 && s.Layers[i-1].Kind != Base {
					t.Fatalf("a base layer above the image's own: %+v", s.Layers)
				}
			}
		}
	})
}
