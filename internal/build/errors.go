package build

import (
	"fmt"
	"strings"

	"github.com/imagedrift/imagedrift/internal/oneline"
)

// BuildError is a failed image build. Error is one line naming the side and
// the commit; Tail holds the end of the build's output for the details.
type BuildError struct {
	Side   string // "base" or "head"; "first" or "second" for Twice
	Commit string // the commit that failed to build, "" for an unknown working tree
	Err    error
	tail   []string
}

func (e *BuildError) Error() string {
	return fmt.Sprintf("build %s image (%s): %s", e.Side, describeCommit(e.Commit), oneline.Fold(e.Err.Error()))
}

func (e *BuildError) Unwrap() error { return e.Err }

// Tail returns the last lines of the build output (at most tailLines),
// build-argument values masked, each line ending in a newline.
func (e *BuildError) Tail() string {
	if len(e.tail) == 0 {
		return ""
	}
	return strings.Join(e.tail, "\n") + "\n"
}

// Cause is the build's own words for why it failed, for an annotation:
// the last line of its output that reads as an error (the legacy
// builder's "The command … returned a non-zero code", BuildKit's "ERROR:
// failed to solve: …"), else its last line; "" without output.
func (e *BuildError) Cause() string {
	last := ""
	for i := len(e.tail) - 1; i >= 0; i-- {
		line := strings.TrimSpace(e.tail[i])
		if line == "" {
			continue
		}
		if last == "" {
			last = line
		}
		if looksLikeError(line) {
			return clip(line, maxCause)
		}
	}
	return clip(last, maxCause)
}

// maxCause bounds the cause quoted in one annotation line.
const maxCause = 300

// errorWords start or mark the lines in which builders say why they stopped.
var errorWords = []string{"returned a non-zero code", "did not complete successfully", "failed to solve",
	"error:", "ERROR", "failed to compute cache key", "no such file or directory", "not found"}

func looksLikeError(line string) bool {
	for _, w := range errorWords {
		if strings.Contains(line, w) {
			return true
		}
	}
	return false
}

// describeCommit names a commit for people: its short form.
func describeCommit(c string) string {
	if c == "" {
		return "working tree"
	}
	return "commit " + shortSHA(c)
}

func shortSHA(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}
