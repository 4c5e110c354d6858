// Package golang catalogs the modules compiled into Go executables by
// reading their embedded build information while the file streams by.
package golang
