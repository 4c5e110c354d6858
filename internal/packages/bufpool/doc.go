// Package bufpool lends byte buffers of power-of-two sizes for the
// catalogers that keep large parts of a file (executables, Java archives),
// so that reading one after another reuses memory.
package bufpool
