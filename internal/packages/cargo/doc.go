// Package cargo catalogs the crates compiled into Rust executables built
// with cargo-auditable, read from the zlib-compressed JSON of their
// .dep-v0 ELF section.
package cargo
