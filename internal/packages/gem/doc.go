// Package gem catalogs installed Ruby gems from the specification files
// RubyGems writes on install (specifications/*.gemspec and the default
// gems' specifications/default/*.gemspec), read as text, never evaluated.
package gem
