// Package diff compares two image inventories: packages (added, removed,
// changed with the kind of version bump, replacements within a source
// package, language packages folded into the distribution package that
// installed them), files (content, metadata, noise, by owning package),
// config, layers (with the Dockerfile instruction or base image each came
// from) and size.
package diff
