// Package origin tells where each layer of an image came from: the base
// image its Dockerfile builds FROM, or the Dockerfile instruction that
// made it, by lining the image's history up with the Dockerfile.
package origin
