package image

import (
	"bytes"
	"io"
	"os"
	"unicode/utf8"
)

// sniffFile returns why the file at p cannot be an image archive when
// its first bytes say so (compressed, JSON), or "" to go on reading it.
func sniffFile(p string) string {
	head := readHead(p)
	switch kind := contentKind(head); kind {
	case "gzip-compressed data", "zstd-compressed data", "bzip2-compressed data", "xz-compressed data":
		return "a file of " + kind + ", not a tar archive: decompress it first"
	case "JSON":
		return "a JSON file, not an image archive (an inventory written earlier? use inventory:" + p + ")"
	case "empty file":
		return "an empty file, not an image archive"
	}
	return ""
}

// describeFile says what a file that is not a tar archive looks like.
func describeFile(p string) string { return contentKind(readHead(p)) }

func readHead(p string) []byte {
	f, err := os.Open(p)
	if err != nil {
		return nil
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	return head[:n]
}

// contentKind names a file's content from its first bytes.
func contentKind(head []byte) string {
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	switch {
	case len(head) == 0:
		return "empty file"
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		return "gzip-compressed data"
	case bytes.HasPrefix(head, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		return "zstd-compressed data"
	case bytes.HasPrefix(head, []byte("BZh")):
		return "bzip2-compressed data"
	case bytes.HasPrefix(head, []byte{0xfd, '7', 'z', 'X', 'Z', 0}):
		return "xz-compressed data"
	case bytes.HasPrefix(head, []byte("\x7fELF")):
		return "an ELF executable"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return "a zip archive"
	case len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '['):
		return "JSON"
	case utf8.Valid(head) && !bytes.ContainsRune(head, 0):
		return "text"
	}
	return "binary data"
}
