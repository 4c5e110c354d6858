package build

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// RepoDigest returns the digest ("sha256:…") under which the engine
// pulled ref, as `docker image inspect` records it: what a tag named when
// a build with --pull fetched it. It fails for an image the engine has
// not pulled from a registry (one built or imported locally).
func RepoDigest(ctx context.Context, docker, ref string) (string, error) {
	if err := checkWord("image reference", ref); err != nil {
		return "", err
	}
	if docker == "" {
		docker = "docker"
	}
	b := &builder{bin: docker}
	out, err := b.output(ctx, "image", "inspect", "--format", "{{json .RepoDigests}}", "--", ref)
	if err != nil {
		return "", fmt.Errorf("inspect %s: %w", ref, err)
	}
	return firstDigest(out)
}

// firstDigest reads the first "NAME@sha256:…" of a RepoDigests list.
func firstDigest(out string) (string, error) {
	var digests []string
	if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &digests); err != nil {
		return "", fmt.Errorf("read RepoDigests: %w", err)
	}
	for _, d := range digests {
		if _, dg, ok := strings.Cut(d, "@"); ok && strings.HasPrefix(dg, "sha256:") {
			return dg, nil
		}
	}
	return "", fmt.Errorf("no registry digest recorded (built or imported locally)")
}
