// Package dpkg catalogs Debian packages from the dpkg status database
// (/var/lib/dpkg/status) and from distroless images' per-package files
// (/var/lib/dpkg/status.d/*).
package dpkg
