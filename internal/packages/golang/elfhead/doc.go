// Package elfhead decodes the ELF header and program header table from the
// first bytes of a file, for catalogers that see executables as a stream
// and must decide which later byte ranges to look at before they go by.
package elfhead
