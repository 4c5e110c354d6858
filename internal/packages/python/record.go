package python

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// The files an installer records: RECORD in a .dist-info directory (CSV
// rows of path, "sha256=" digest and size, paths relative to the
// directory holding the .dist-info), installed-files.txt in an .egg-info
// directory (one path per line, relative to the .egg-info). A large
// package lists some thousand files in a few hundred KB.
const (
	recordName         = "RECORD"
	installedFilesName = "installed-files.txt"
	maxRecord          = 16 << 20
)

// isRecordPath reports whether path is the file list of an installed
// distribution.
func isRecordPath(p string) bool {
	switch {
	case strings.HasSuffix(p, "/"+recordName):
		return strings.HasSuffix(p[:len(p)-len(recordName)-1], ".dist-info")
	case strings.HasSuffix(p, "/"+installedFilesName):
		return strings.HasSuffix(p[:len(p)-len(installedFilesName)-1], ".egg-info")
	}
	return false
}

// recordFiles reads a record file found at p into the paths it names,
// absolute, with their SHA-256 digests where given.
func recordFiles(p string, data []byte) ([]packages.OwnedFile, error) {
	if strings.HasSuffix(p, "/"+installedFilesName) {
		return installedFiles(path.Dir(p), data), nil
	}
	return record(path.Dir(path.Dir(p)), data)
}

// record reads RECORD rows; base is the directory its paths start from.
// A row that is not CSV ends the read with what came before.
func record(base string, data []byte) ([]packages.OwnedFile, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	var out []packages.OwnedFile
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("RECORD: %v", err)
		}
		if len(row) == 0 || row[0] == "" {
			continue
		}
		f := packages.OwnedFile{Path: join(base, row[0])}
		if len(row) > 1 {
			if algo, sum, ok := strings.Cut(row[1], "="); ok && algo == "sha256" {
				f.Digest = packages.Base64Digest(packages.SHA256, sum)
			}
		}
		out = append(out, f)
	}
}

// installedFiles reads installed-files.txt, relative to the .egg-info
// directory dir.
func installedFiles(dir string, data []byte) []packages.OwnedFile {
	var out []packages.OwnedFile
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSuffix(line, "\r"); line != "" {
			out = append(out, packages.OwnedFile{Path: join(dir, line)})
		}
	}
	return out
}

// join resolves a recorded path against base: absolute paths stand as
// they are, and ".." never climbs above the root.
func join(base, p string) string {
	if path.IsAbs(p) {
		return path.Clean(p)
	}
	return path.Join(base, p)
}
