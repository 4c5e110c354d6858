// Package python catalogs installed Python distributions from their
// core-metadata files: *.dist-info/METADATA (wheels), *.egg-info/PKG-INFO
// and *.egg-info files (setuptools, Debian), and .egg/EGG-INFO/PKG-INFO.
package python
