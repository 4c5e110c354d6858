// Package rpm catalogs RPM packages from the rpm database in any of its
// three formats (Berkeley DB "Packages", NDB "Packages.db", SQLite
// "rpmdb.sqlite"), read from memory: image content never touches the disk.
package rpm
