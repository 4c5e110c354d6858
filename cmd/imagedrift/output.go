package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// writeOutput writes to path (--output), or to stdout when path is empty
// or "-". A regular file, or a path that does not exist yet, is replaced
// only once the whole output was written (a temporary file renamed over
// it), so a failed run never leaves half a report. Anything else (a
// character device such as /dev/null, a FIFO, a symbolic link such as
// /dev/stdout) is written directly: renaming over it would replace the
// device or link with a regular file, which, run as root on /dev/null,
// breaks every later program on the machine.
func writeOutput(path string, stdout io.Writer, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(stdout)
	}
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return replaceFile(path, 0o644, write)
	case err != nil:
		return fmt.Errorf("write %s: %w", path, err)
	case fi.Mode().IsRegular():
		return replaceFile(path, fi.Mode().Perm(), write)
	case fi.IsDir():
		return fmt.Errorf("write %s: is a directory", path)
	}
	return writeInPlace(path, write)
}

// replaceFile writes to a temporary file beside path and renames it over
// path, with the permissions perm.
func replaceFile(path string, perm fs.FileMode, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".imagedrift-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	err = write(tmp)
	if err == nil {
		err = tmp.Chmod(perm)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// writeInPlace opens what path names (following links) and writes to it.
func writeInPlace(path string, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
