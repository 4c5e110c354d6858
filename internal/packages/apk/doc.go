// Package apk catalogs Alpine packages from apk's installed database
// (/lib/apk/db/installed).
package apk
