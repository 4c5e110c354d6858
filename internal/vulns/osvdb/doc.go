// Package osvdb reads an offline copy of the OSV database: the
// per-ecosystem all.zip files that osv.dev exports, laid out as
// DIR/<Ecosystem>/all.zip.
package osvdb
