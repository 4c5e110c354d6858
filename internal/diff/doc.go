// Package diff compares two image inventories: packages (added, removed,
// changed with the kind of version bump, replacements within a source
// package), files (content, metadata, noise), config, layers and size.
package diff
