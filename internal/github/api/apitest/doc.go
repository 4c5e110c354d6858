// Package apitest is a strict HTTP fake for GitHub client tests: stubs
// matched by method and path answer a set number of times, from recorded
// GitHub exchanges where one exists; a request no stub matches fails the
// test, and so does a stub left unused when the test ends.
package apitest
