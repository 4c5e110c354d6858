// Package layercache keeps byte strings on disk under content-derived
// keys, for imagedrift's layer cache: each entry is written to a temporary
// file and renamed into place, so a reader sees a whole entry or none;
// each carries its key, length and SHA-256, checked on every read, so a
// damaged entry reads as damaged, never as other content; and the
// directory is kept under a size bound by evicting the least recently
// used entries, tolerating other processes doing the same at once.
//
// The layout follows go-containerregistry's pkg/v1/cache (one file per
// digest, verified on read), without its habit of writing in place.
package layercache
