// Package osvtest is shared test support for the vulnerability packages:
// it locates the recorded OSV fixtures (checking them against their
// published SHA-256), builds an offline database from them, and serves
// them from a fake OSV API.
package osvtest
