// Package drift explains why two images of one Dockerfile differ: for a
// fresh build against the image deployed (watch mode), what drifted (the
// base image, OS and language packages, files, config) and which lint
// findings let it; for two builds of the same commit, every difference by
// its likely cause (timestamps, files known to differ per build, generated
// secrets, package versions, unexplained).
package drift
