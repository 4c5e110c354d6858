package recorded

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// EnvShared names the folder that holds the project's shared test data;
// its fixtures/github folder is read. Unset, the folder is ../shared from
// the module root.
const EnvShared = "IMAGEDRIFT_SHARED"

// Dir returns the recorded-fixture folder: $IMAGEDRIFT_SHARED/fixtures/github,
// else ../shared/fixtures/github beside the module root (found by walking
// up from the working directory to go.mod). A module root that is a linked
// git worktree also looks beside its main checkout, where the shared folder
// sits. The error names every place it looked.
func Dir() (string, error) {
	if s := os.Getenv(EnvShared); s != "" {
		return existing([]string{filepath.Join(s, "fixtures", "github")})
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("locating recorded GitHub fixtures: %w", err)
	}
	root, ok := moduleRoot(wd)
	if !ok {
		return "", fmt.Errorf("locating recorded GitHub fixtures: no go.mod above %s; set %s", wd, EnvShared)
	}
	candidates := []string{filepath.Join(filepath.Dir(root), "shared", "fixtures", "github")}
	if main, ok := mainCheckout(root); ok {
		candidates = append(candidates, filepath.Join(filepath.Dir(main), "shared", "fixtures", "github"))
	}
	return existing(candidates)
}

func existing(candidates []string) (string, error) {
	for _, c := range candidates {
		if fi, err := os.Stat(c); err == nil && fi.IsDir() {
			return c, nil
		}
	}
	return "", fmt.Errorf("recorded GitHub fixtures not found at %s (set %s to the folder holding fixtures/github)",
		strings.Join(candidates, " or "), EnvShared)
}

func moduleRoot(dir string) (string, bool) {
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// mainCheckout reads the .git file of a linked worktree
// ("gitdir: MAIN/.git/worktrees/NAME") and returns MAIN.
func mainCheckout(root string) (string, bool) {
	b, err := os.ReadFile(filepath.Join(root, ".git"))
	if err != nil {
		return "", false // a directory (the main checkout itself) or no git at all
	}
	gitdir, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "gitdir: ")
	if !ok {
		return "", false
	}
	wts := filepath.Dir(filepath.Clean(gitdir)) // MAIN/.git/worktrees
	if filepath.Base(wts) != "worktrees" || filepath.Base(filepath.Dir(wts)) != ".git" {
		return "", false
	}
	return filepath.Dir(filepath.Dir(wts)), true
}

// ErrNoExchange is returned by Load when a file holds fewer exchanges
// than asked for.
var ErrNoExchange = errors.New("no such exchange")
