// Package osvapi is a client of the OSV API (api.osv.dev): batch queries
// with paging, each listed record fetched once (in parallel, through a
// record cache), retries with backoff. It imports no engine package.
package osvapi
