// Package fakegithub is a small stateful GitHub REST API in memory (issue
// comments, issues, pull requests, check runs) that answers with bodies
// shaped from recorded GitHub responses, for tests and for a local fake
// server that a workflow runner can talk to.
package fakegithub
