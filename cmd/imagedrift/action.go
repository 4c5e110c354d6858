package main

import (
	"context"

	"github.com/imagedrift/imagedrift/internal/action"
)

func init() {
	commands["action"] = command{summary: "the GitHub Action's entry point: reads INPUT_* and the GITHUB_* environment", run: runAction}
}

// runAction runs the action with the process's environment. Its inputs
// come from INPUT_* variables, not from arguments.
func runAction(ctx context.Context, args []string, s streams, d *deps) error {
	if len(args) > 0 {
		return usagef("action takes no arguments: it reads its inputs from INPUT_* environment variables (see action.yml)")
	}
	return d.action(ctx, action.Options{Stdout: s.Out, Version: version, NewGitHub: d.github, NewVulnSource: d.vulns})
}
