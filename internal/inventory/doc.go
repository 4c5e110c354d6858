// Package inventory indexes a container image in one streaming pass over
// its layers: the squashed file system (whiteouts, opaque directories and
// hard links applied), the content digest of every regular file, the
// files the package catalogers asked for, which package owns each file
// (the package managers' own records, joined to the tree once), the image
// config and /etc/os-release. Image content is never written to disk.
package inventory
