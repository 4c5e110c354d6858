// Package image resolves an image reference (docker-archive:, oci-archive:,
// oci:, daemon:, registry: or a bare path or registry reference) to a
// go-containerregistry v1.Image, reading only the manifest and config.
package image
