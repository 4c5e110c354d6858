package build

import (
	"fmt"
	"strings"
)

// BuildError is a failed image build. Error is one line naming the side and
// the commit; Tail holds the end of the build's output for the details.
type BuildError struct {
	Side   string // "base" or "head"
	Commit string // the commit that failed to build, "" for an unknown working tree
	Err    error
	tail   []string
}

func (e *BuildError) Error() string {
	return fmt.Sprintf("build %s image (%s): %s", e.Side, describeCommit(e.Commit), oneLine(e.Err.Error()))
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

// oneLine folds a message onto one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
