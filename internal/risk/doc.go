// Package risk reads the changes between two images as risks with a level,
// and decides the verdict under a policy (fail-on list, thresholds,
// per-risk levels, allowed major bumps).
package risk
