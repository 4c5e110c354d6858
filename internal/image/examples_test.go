package image

import (
	"context"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/validate"
)

// The committed example images (testdata/images, built by make.sh) read
// back as described in their README: valid gzip layers, head sharing
// base's first layer, and the config changes of the update.
func TestExampleImages(t *testing.T) {
	open := func(p string) *Image {
		img, err := Open(context.Background(), p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { img.Close() })
		if err := validate.Image(img.Image); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		return img
	}
	base := open("../../testdata/images/base.tar")
	head := open("docker-archive:../../testdata/images/head.tar:example.com/imagedrift/app:head")

	bl, _ := base.Image.Layers()
	hl, _ := head.Image.Layers()
	if len(bl) != 2 || len(hl) != 3 {
		t.Fatalf("layers: base %d, head %d; want 2 and 3", len(bl), len(hl))
	}
	bd, _ := bl[0].Digest()
	hd, _ := hl[0].Digest()
	if bd != hd {
		t.Errorf("first layers differ: %s, %s", bd, hd)
	}
	if d1, _ := bl[1].Digest(); d1 == hd {
		t.Error("second layers must differ")
	}
	bc, _ := base.Image.ConfigFile()
	hc, _ := head.Image.ConfigFile()
	if bc.Config.User != "app" || hc.Config.User != "root" {
		t.Errorf("users %q, %q", bc.Config.User, hc.Config.User)
	}
	if len(hc.Config.Env) != len(bc.Config.Env)+1 || len(hc.Config.ExposedPorts) != len(bc.Config.ExposedPorts)+1 {
		t.Errorf("head should add one env and one port: %v %v / %v %v",
			bc.Config.Env, bc.Config.ExposedPorts, hc.Config.Env, hc.Config.ExposedPorts)
	}
}
