// Package packages defines the Package type shared by every ecosystem, the
// Cataloger contract through which the inventory pass hands file content to
// ecosystem parsers (and the Owner contract through which their records
// claim files), the table of rules that differ per ecosystem (version
// order, name normalisation, OSV naming) and the classification of version
// changes into bumps.
package packages
