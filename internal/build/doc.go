// Package build builds the images of a pull request's base and head commits
// with the local Docker engine and hands them on as docker-archive references.
package build
