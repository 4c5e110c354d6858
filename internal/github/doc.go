// Package github is the GitHub context of the action: the event that
// started the run, whether a bot (Dependabot, Renovate) opened its pull
// request, the updates that pull request declares, and how they compare
// with what the image really changed.
package github
