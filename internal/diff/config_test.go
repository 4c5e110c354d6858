package diff

import (
	"reflect"
	"testing"

	"github.com/imagedrift/imagedrift/internal/inventory"
)

func sp(s string) *string { return &s }

func TestCompareConfig(t *testing.T) {
	base := &inventory.Inventory{
		Platform: "linux/amd64",
		OS:       inventory.OS{ID: "debian", VersionID: "12", PrettyName: "Debian GNU/Linux 12 (bookworm)"},
		Config: inventory.Config{
			User:         "app",
			Env:          []string{"PATH=/usr/local/bin:/usr/bin", "LANG=C.UTF-8", "DB_PASSWORD=hunter2", "GONE=1"},
			Entrypoint:   []string{"/docker-entrypoint.sh"},
			Cmd:          []string{"nginx", "-g", "daemon off;"},
			WorkingDir:   "/app",
			ExposedPorts: []string{"80/tcp"},
			Labels: map[string]string{
				"org.opencontainers.image.created":  "2024-01-01T00:00:00Z",
				"org.opencontainers.image.revision": "abc",
				"maintainer":                        "ops",
			},
		},
	}
	head := &inventory.Inventory{
		Platform: "linux/amd64",
		OS:       inventory.OS{ID: "debian", VersionID: "13", PrettyName: "Debian GNU/Linux 13 (trixie)"},
		Config: inventory.Config{
			Env:          []string{"PATH=/usr/local/bin:/usr/bin", "LANG=C.UTF-8", "DB_PASSWORD=correct horse", "NEW="},
			Entrypoint:   []string{"/docker-entrypoint.sh"},
			Cmd:          []string{"nginx", "-g", "daemon off;"},
			WorkingDir:   "/app",
			ExposedPorts: []string{"8080/tcp", "80/tcp"},
			Labels: map[string]string{
				"org.opencontainers.image.created":  "2025-01-01T00:00:00Z",
				"org.opencontainers.image.revision": "def",
			},
			Healthcheck: []string{"CMD", "curl", "-f", "http://localhost/"},
		},
	}
	got := compareConfig(base, head)
	want := []ConfigChange{
		{Field: "env", Key: "DB_PASSWORD", Before: sp(Redacted), After: sp(Redacted)},
		{Field: "env", Key: "GONE", Before: sp("1")},
		{Field: "env", Key: "NEW", After: sp("")},
		{Field: "healthcheck", After: sp(`["CMD","curl","-f","http://localhost/"]`)},
		{Field: "labels", Key: "maintainer", Before: sp("ops")},
		{Field: "labels", Key: "org.opencontainers.image.revision", Before: sp("abc"), After: sp("def")},
		{Field: "os", Before: sp("Debian GNU/Linux 12 (bookworm)"), After: sp("Debian GNU/Linux 13 (trixie)")},
		{Field: "ports", Before: sp(`["80/tcp"]`), After: sp(`["80/tcp","8080/tcp"]`)},
		{Field: "user", Before: sp("app")},
	}
	if !reflect.DeepEqual(got, want) {
		for _, c := range got {
			t.Logf("got %s %s %v %v", c.Field, c.Key, deref(c.Before), deref(c.After))
		}
		t.Fatal("config changes differ")
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

func TestBaseImage(t *testing.T) {
	layers := func(ids ...string) []inventory.Layer {
		var ls []inventory.Layer
		for _, id := range ids {
			ls = append(ls, inventory.Layer{Digest: "sha256:c" + id, DiffID: "sha256:d" + id})
		}
		return ls
	}
	ann := func(name, digest string) map[string]string {
		return map[string]string{AnnotationBaseName: name, AnnotationBaseDigest: digest}
	}
	tests := []struct {
		name       string
		base, head inventory.Inventory
		shared     int
		changed    bool
		source     string
	}{
		{"annotations, new digest",
			inventory.Inventory{Annotations: ann("docker.io/library/debian:12", "sha256:1111"), Layers: layers("a", "b")},
			inventory.Inventory{Annotations: ann("docker.io/library/debian:12", "sha256:2222"), Layers: layers("x", "b")},
			0, true, BaseFromAnnotations},
		{"labels, same base, new app layer",
			inventory.Inventory{Config: inventory.Config{Labels: ann("debian:12", "sha256:1111")}, Layers: layers("a", "b")},
			inventory.Inventory{Config: inventory.Config{Labels: ann("debian:12", "sha256:1111")}, Layers: layers("a", "c")},
			1, false, BaseFromAnnotations},
		{"no annotations, bottom layer differs",
			inventory.Inventory{Layers: layers("a", "b")}, inventory.Inventory{Layers: layers("z", "b")},
			0, true, BaseFromLayers},
		{"no annotations, shared bottom",
			inventory.Inventory{Layers: layers("a", "b")}, inventory.Inventory{Layers: layers("a", "b", "c")},
			2, false, ""},
	}
	for _, tt := range tests {
		ch := Compare(&tt.base, &tt.head, Options{})
		if ch.Layers.Shared != tt.shared || ch.BaseImage.Changed != tt.changed || ch.BaseImage.Source != tt.source {
			t.Errorf("%s: shared %d, base %+v", tt.name, ch.Layers.Shared, ch.BaseImage)
		}
	}
}
