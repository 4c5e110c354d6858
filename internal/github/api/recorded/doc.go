// Package recorded finds the recorded GitHub REST exchanges that the
// project keeps beside the module (../shared/fixtures/github) and reads
// them, whatever their recording format, as method, path, status, headers
// and body, so that fakes can answer with what GitHub really sent.
package recorded
