// Package fix pins the base images of a Dockerfile to the digests their
// tags point at now, editing the file in place byte for byte.
package fix
