// Package osvcache keeps OSV records between runs in a directory, one
// file per record, valid for as long as OSV reports the same modified
// time for it.
package osvcache
