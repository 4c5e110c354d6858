// Package api is a small GitHub REST client for what a pull-request
// check posts: a sticky comment found again by a marker the caller gives,
// check runs with annotations, and issues. It retries what GitHub asks to
// be retried, within bounds, and returns one error type that says what
// was being done, why it failed and what to do.
package api
