// Package repro checks that a commit builds the same image twice: it
// builds the head twice with no cache and the commit's time as
// SOURCE_DATE_EPOCH, reads both images, and has every difference
// classified by its likely cause.
package repro
