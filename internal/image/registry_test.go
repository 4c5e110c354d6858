package image

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

const (
	regUser = "ci"
	regPass = "s3cret-pw-0001"
)

// withBasicAuth answers 401 with a Basic challenge unless the request
// carries regUser:regPass, like a registry behind `htpasswd`.
func withBasicAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != regUser || p != regPass {
			w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
			http.Error(w, `{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`, http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// forbidden answers 403 to every manifest request of repository "secret".
func forbidden(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/v2/secret/") {
			http.Error(w, `{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}`, http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func startRegistry(t *testing.T, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	h := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

func push(t *testing.T, ref string, img v1.Image, kc authn.Keychain) {
	t.Helper()
	r, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(r, img, remote.WithAuthFromKeychain(kc)); err != nil {
		t.Fatal(err)
	}
}

// staticKeychain answers every registry with one user and password.
type staticKeychain struct{ user, pass string }

func (k staticKeychain) Resolve(authn.Resource) (authn.Authenticator, error) {
	return &authn.Basic{Username: k.user, Password: k.pass}, nil
}

func TestOpenRegistry(t *testing.T) {
	t.Setenv("DOCKER_CONFIG", t.TempDir()) // no credentials of the machine's
	host := startRegistry(t, nil)
	img := testImage(t, 7, "amd64")
	annotated := mutate.Annotations(img, map[string]string{baseName: "debian:12"}).(v1.Image)
	push(t, host+"/app:1", annotated, authn.DefaultKeychain)

	for _, ref := range []string{"registry:" + host + "/app:1", host + "/app:1", "docker://" + host + "/app:1"} {
		got, err := Open(context.Background(), ref, Options{})
		if err != nil {
			t.Fatalf("%s: %v", ref, err)
		}
		assertSameImage(t, img, got.Image)
		if got.Annotations[baseName] != "debian:12" {
			t.Errorf("%s: annotations %v", ref, got.Annotations)
		}
		got.Close()
	}
	_, err := Open(context.Background(), host+"/app:2", Options{})
	assertKind(t, err, ErrNotFound, host+"/app:2", "registry "+host+" has no")
	_, err = Open(context.Background(), host+"/nothing:1", Options{})
	assertKind(t, err, ErrNotFound, "has no")
}

func TestOpenRegistryIndex(t *testing.T) {
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	host := startRegistry(t, nil)
	idx, imgs := multiPlatform(t, "linux/amd64", "linux/arm64/v8", "unknown/unknown")
	r, _ := name.ParseReference(host + "/multi:1")
	if err := remote.WriteIndex(r, idx); err != nil {
		t.Fatal(err)
	}
	got, err := Open(context.Background(), host+"/multi:1", Options{Platform: "linux/arm64"})
	if err != nil {
		t.Fatal(err)
	}
	assertSameImage(t, imgs["linux/arm64/v8"], got.Image)
	if got.Annotations["entry"] != "linux/arm64/v8" {
		t.Errorf("annotations %v", got.Annotations)
	}
	_, err = Open(context.Background(), host+"/multi:1", Options{Platform: "windows/amd64"})
	assertKind(t, err, ErrPlatform, "windows/amd64 not in the index", "available: linux/amd64, linux/arm64/v8)")
}

func TestOpenRegistryAuth(t *testing.T) {
	host := startRegistry(t, func(h http.Handler) http.Handler { return withBasicAuth(forbidden(h)) })
	img := testImage(t, 8, "amd64")
	good := staticKeychain{regUser, regPass}
	push(t, host+"/private:1", img, good)

	got, err := Open(context.Background(), host+"/private:1", Options{Keychain: good})
	if err != nil {
		t.Fatal(err)
	}
	assertSameImage(t, img, got.Image)

	// Credentials from the Docker config, as `docker login` writes them.
	cfgDir := t.TempDir()
	auth := base64.StdEncoding.EncodeToString([]byte(regUser + ":" + regPass))
	writeFile(t, filepath.Join(cfgDir, "config.json"), []byte(fmt.Sprintf(`{"auths":{%q:{"auth":%q}}}`, host, auth)))
	t.Setenv("DOCKER_CONFIG", cfgDir)
	if _, err := Open(context.Background(), "registry:"+host+"/private:1", Options{}); err != nil {
		t.Fatalf("with Docker config credentials: %v", err)
	}

	t.Setenv("DOCKER_CONFIG", t.TempDir())
	for name, kc := range map[string]authn.Keychain{
		"anonymous":      nil,
		"wrong password": staticKeychain{regUser, "wrong-pw-9876"},
	} {
		_, err := Open(context.Background(), host+"/private:1", Options{Keychain: kc})
		assertKind(t, err, ErrAuth, host+"/private:1", "registry "+host+" denied access (HTTP 401)",
			"Docker config", "GITHUB_TOKEN")
		if strings.Contains(err.Error(), "wrong-pw-9876") || strings.Contains(err.Error(), regPass) {
			t.Errorf("%s: message shows a secret: %v", name, err)
		}
	}
	_, err = Open(context.Background(), host+"/secret/app:1", Options{Keychain: good})
	assertKind(t, err, ErrAuth, "denied access (HTTP 403)")
}

// A Docker config naming a credential helper that is not installed, as
// Docker Desktop's config does on a CI machine, is an auth failure.
func TestOpenRegistryBrokenHelper(t *testing.T) {
	host := startRegistry(t, nil)
	dc := t.TempDir()
	writeFile(t, filepath.Join(dc, "config.json"), []byte(`{"credsStore":"imagedrift-absent"}`))
	t.Setenv("DOCKER_CONFIG", dc)
	_, err := Open(context.Background(), host+"/app:1", Options{})
	assertKind(t, err, ErrAuth, "cannot get credentials for registry "+host, "Docker config")
}

func TestOpenRegistryUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	host := strings.TrimPrefix(srv.URL, "http://")
	srv.Close()
	_, err := Open(context.Background(), host+"/app:1", Options{Keychain: authn.NewMultiKeychain()})
	assertKind(t, err, ErrUnreachable, "cannot reach registry "+host)
}

func TestGitHubTokenKeychain(t *testing.T) {
	env := map[string]string{"GITHUB_TOKEN": "ghs_example", "GITHUB_ACTOR": "octocat"}
	kc := githubTokenKeychain{getenv: func(k string) string { return env[k] }}
	ghcr, _ := name.ParseReference("ghcr.io/o/app:1")
	hub, _ := name.ParseReference("debian:12")

	a, err := kc.Resolve(ghcr.Context())
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := a.Authorization()
	if cfg.Username != "octocat" || cfg.Password != "ghs_example" {
		t.Errorf("ghcr.io: got %+v", cfg)
	}
	if a, _ := kc.Resolve(hub.Context()); a != authn.Anonymous {
		t.Errorf("docker.io must not get GITHUB_TOKEN, got %v", a)
	}
	delete(env, "GITHUB_ACTOR")
	a, _ = kc.Resolve(ghcr.Context())
	if cfg, _ := a.Authorization(); cfg.Username != "x-access-token" {
		t.Errorf("without GITHUB_ACTOR: %+v", cfg)
	}
	delete(env, "GITHUB_TOKEN")
	if a, _ := kc.Resolve(ghcr.Context()); a != authn.Anonymous {
		t.Errorf("without GITHUB_TOKEN: %v", a)
	}

	// Through DefaultKeychain: the Docker config comes first.
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	t.Setenv("GITHUB_TOKEN", "ghs_from_env")
	a, _ = DefaultKeychain().Resolve(ghcr.Context())
	if cfg, _ := a.Authorization(); cfg.Password != "ghs_from_env" {
		t.Errorf("DefaultKeychain for ghcr.io: %+v", cfg)
	}
	dc := t.TempDir()
	auth := base64.StdEncoding.EncodeToString([]byte("me:from-docker-config"))
	writeFile(t, filepath.Join(dc, "config.json"), []byte(`{"auths":{"ghcr.io":{"auth":"`+auth+`"}}}`))
	t.Setenv("DOCKER_CONFIG", dc)
	a, _ = DefaultKeychain().Resolve(ghcr.Context())
	if cfg, _ := a.Authorization(); cfg.Password != "from-docker-config" {
		t.Errorf("Docker config must win over GITHUB_TOKEN: %+v", cfg)
	}
}
