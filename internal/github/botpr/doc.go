// Package botpr reads dependency bots' pull requests: whether Dependabot
// or Renovate opened one, the updates its title, commit message and body
// declare, and how they compare with what the image really changed.
package botpr
