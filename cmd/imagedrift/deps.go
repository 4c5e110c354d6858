package main

import (
	"context"
	"os"

	"github.com/imagedrift/imagedrift/internal/action"
	"github.com/imagedrift/imagedrift/internal/github/api"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/vulns"
)

// deps are the ways out of the process that commands take beyond their
// streams: reading images, the action's entry, the network's clients.
// One value per run, so tests replace them without touching shared state.
type deps struct {
	// load reads two images at once.
	load func(ctx context.Context, base, head string, o loadOptions) (*inventory.Inventory, *inventory.Inventory, error)
	// action runs the GitHub Action.
	action func(ctx context.Context, o action.Options) error
	// github makes the client of GitHub's API, when a command needs one.
	github func(t action.Target) (action.GitHub, error)
	// vulns makes the source of vulnerability data, when a run asks for
	// one (--vulns, --vulns-db, the action's vulnerabilities input).
	vulns func(vulns.SourceOptions) (*vulns.Opened, error)
}

// defaultDeps are the real ones.
func defaultDeps() *deps {
	return &deps{load: loadInventories, action: action.Run, github: newGitHub, vulns: newVulnSource(os.Getenv)}
}

// newGitHub is the REST client for the action, named after this version.
func newGitHub(t action.Target) (action.GitHub, error) {
	return api.New(api.Config{BaseURL: t.APIURL, Token: t.Token, UserAgent: "imagedrift/" + version,
		Warn: t.Warn, ForkAdvice: t.ForkAdvice})
}
