package python

import "bytes"

// maxLine bounds the part of a header line kept while streaming. Longer
// lines are dropped: no valid Name or Version is that long, and the long
// lines of a metadata file (Description, Classifier lists) are of no use.
const maxLine = 1024

// metadata is what the extractor keeps of a core-metadata file: the Name
// and Version headers, as written. The Ok flags say the header was seen
// on a single line (a folded Name or Version is not a valid value).
type metadata struct {
	Name, Version     string
	NameOk, VersionOk bool
	// Done is set when the header section ended: a blank line, where
	// the body (the long description) starts, or the end of the file.
	Done bool
}

// headerReader parses RFC 822 style headers as they stream in, keeping
// only the current line. It stops at the first blank line.
type headerReader struct {
	line                  []byte
	long                  bool   // the current line overflowed maxLine
	last                  string // the header the next continuation line belongs to
	lines                 int
	seenName, seenVersion bool
	m                     metadata
}

func (h *headerReader) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 && !h.m.Done {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			h.add(p)
			break
		}
		h.add(p[:i])
		h.endLine()
		p = p[i+1:]
	}
	return n, nil
}

func (h *headerReader) add(p []byte) {
	if h.long {
		return
	}
	if len(h.line)+len(p) > maxLine {
		h.long = true
		h.line = h.line[:0]
		return
	}
	h.line = append(h.line, p...)
}

// finish handles a last line without a newline; the file's end also ends
// the header section.
func (h *headerReader) finish() metadata {
	if !h.m.Done && (len(h.line) > 0 || h.long) {
		h.endLine()
	}
	h.m.Done = true
	return h.m
}

func (h *headerReader) endLine() {
	line := bytes.TrimSuffix(h.line, []byte("\r"))
	if h.lines == 0 {
		// Some wheels built on Windows start with a byte order mark.
		line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
	}
	long := h.long
	h.line, h.long = h.line[:0], false
	h.lines++
	switch {
	case long:
		h.last = ""
	case len(line) == 0:
		h.m.Done = true
	case line[0] == ' ' || line[0] == '\t':
		h.fold()
	default:
		h.header(line)
	}
}

// fold handles a continuation line: it makes a Name or Version value
// span several lines, which no valid value does.
func (h *headerReader) fold() {
	switch h.last {
	case "name":
		h.m.NameOk = false
	case "version":
		h.m.VersionOk = false
	}
}

func (h *headerReader) header(line []byte) {
	h.last = ""
	colon := bytes.IndexByte(line, ':')
	if colon < 0 {
		return
	}
	key, value := line[:colon], string(bytes.TrimSpace(line[colon+1:]))
	switch {
	case !h.seenName && bytes.EqualFold(key, []byte("Name")):
		h.seenName, h.last = true, "name"
		h.m.Name, h.m.NameOk = value, true
	case !h.seenVersion && bytes.EqualFold(key, []byte("Version")):
		h.seenVersion, h.last = true, "version"
		h.m.Version, h.m.VersionOk = value, true
	}
}
