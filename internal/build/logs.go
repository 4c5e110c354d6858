package build

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"sort"
	"strings"
)

const (
	tailLines    = 30       // lines of output kept for a BuildError
	maxTailLine  = 1024     // bytes kept of each of those lines
	maxLogLine   = 64 << 10 // a longer line is cut, so the buffer stays bounded
	minMaskedLen = 4        // shorter build-arg values are not masked: they would garble the log
	mask         = "***"
)

// lineLog passes build output on line by line: it masks build-argument
// values and keeps the last lines for the error of a failed build.
type lineLog struct {
	dst     io.Writer
	secrets []string // longest first, so a value containing another is masked whole
	partial []byte
	tail    []string
	next    int // index of the oldest line in tail once it is full
}

func newLineLog(dst io.Writer, buildArgs []string) *lineLog {
	l := &lineLog{dst: dst}
	for _, kv := range buildArgs {
		if _, v, _ := strings.Cut(kv, "="); len(v) >= minMaskedLen {
			l.secrets = append(l.secrets, v)
		}
	}
	sort.Slice(l.secrets, func(i, j int) bool { return len(l.secrets[i]) > len(l.secrets[j]) })
	return l
}

// Write never fails: a log that cannot be written must not stop the build.
func (l *lineLog) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			l.partial = append(l.partial, p...)
			if len(l.partial) >= maxLogLine {
				l.emit(l.partial)
				l.partial = l.partial[:0]
			}
			break
		}
		if len(l.partial) > 0 {
			l.partial = append(l.partial, p[:i]...)
			l.emit(l.partial)
			l.partial = l.partial[:0]
		} else {
			l.emit(p[:i])
		}
		p = p[i+1:]
	}
	return n, nil
}

// Flush passes on an unterminated last line.
func (l *lineLog) Flush() {
	if len(l.partial) > 0 {
		l.emit(l.partial)
		l.partial = l.partial[:0]
	}
}

// Printf writes a line of our own through the same masking.
func (l *lineLog) Printf(format string, a ...any) {
	l.emit([]byte(fmt.Sprintf(format, a...)))
}

func (l *lineLog) emit(b []byte) {
	line := strings.TrimRight(string(b), "\r")
	for _, s := range l.secrets {
		line = strings.ReplaceAll(line, s, mask)
	}
	io.WriteString(l.dst, line+"\n")
	if len(line) > maxTailLine {
		line = line[:maxTailLine] + "…"
	}
	if len(l.tail) < tailLines {
		l.tail = append(l.tail, line)
		return
	}
	l.tail[l.next] = line
	l.next = (l.next + 1) % tailLines
}

// Tail returns the kept lines, oldest first.
func (l *lineLog) Tail() []string {
	out := make([]string, 0, len(l.tail))
	out = append(out, l.tail[l.next:]...)
	return append(out, l.tail[:l.next]...)
}

// group folds what is written between begin and end in a GitHub Actions log
// group. Workflow commands are suspended inside it (::stop-commands::), so a
// Dockerfile cannot issue commands to the runner by printing "::…::" lines.
type group struct {
	w     io.Writer
	gha   bool
	token string
}

func beginGroup(w io.Writer, gha bool, title string) *group {
	g := &group{w: w, gha: gha}
	if !gha {
		fmt.Fprintf(w, "==> %s\n", title)
		return g
	}
	g.token = randomHex(16)
	fmt.Fprintf(w, "::group::%s\n::stop-commands::%s\n", title, g.token)
	return g
}

func (g *group) end() {
	if g.gha {
		fmt.Fprintf(g.w, "::%s::\n::endgroup::\n", g.token)
	}
}

// randomHex returns n random bytes in hex; crypto/rand does not fail.
func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
