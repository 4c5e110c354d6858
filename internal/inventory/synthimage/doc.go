// Package synthimage generates container images of any size from a seed,
// for benchmarks: a layer's tar stream is written again each time it is
// read, so an image of a million files needs neither disk nor memory for
// its bytes, and two runs with one seed produce the same digests.
package synthimage
