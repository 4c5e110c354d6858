// Package osv holds what every OSV data source shares: the query that
// names a package as OSV keys it, bounded decoding of OSV records, and
// CVSS vector scoring. It imports no other imagedrift package, so the API
// client and the offline database can use it without knowing the engine.
package osv
