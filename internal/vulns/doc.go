// Package vulns computes the vulnerability delta of a package change: for
// every package changed, added or removed between two images, the OSV
// vulnerabilities the change fixes, introduces or leaves in place, decided
// locally with the ecosystem's own version ordering (package packages)
// from records that a Source (the OSV API in osvapi, an offline database
// in osvdb) provides. Contributor adds the delta to an analysis: the
// report's vulnerabilities and the vulnerability-introduced risks.
package vulns
