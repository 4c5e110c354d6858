// Package catalogtest is the test support the package catalogers share:
// feeding a file tree through a Cataloger as the inventory pass does,
// golden files refreshed with -update, Match tables, fuzz seeds, the
// benchmarks over real files and the big-c fixture's dpkg file lists.
// Only _test.go files import it.
package catalogtest
