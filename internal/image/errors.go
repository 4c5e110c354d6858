package image

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Error kinds, for errors.Is. Every error returned by Open is an *Error
// whose Kind is one of these, so the CLI can turn it into a hint.
var (
	ErrBadRef           = errors.New("invalid reference")
	ErrUnknownTransport = errors.New("unknown transport")
	ErrInventory        = errors.New("inventory reference")
	ErrNotFound         = errors.New("not found")
	ErrNotImage         = errors.New("not an image")
	ErrAmbiguous        = errors.New("several images, none chosen")
	ErrPlatform         = errors.New("platform not available")
	ErrNoDaemon         = errors.New("no Docker engine")
	ErrAuth             = errors.New("authentication refused")
	ErrUnreachable      = errors.New("registry unreachable")
)

// Error is a failure to open one reference. Its message is one line:
// the reference, then why.
type Error struct {
	Ref  string // the reference as given
	Kind error  // one of the Err* kinds above
	Msg  string // why, one line
	Err  error  // underlying cause, if any (already summarised in Msg)
}

func (e *Error) Error() string { return displayRef(e.Ref) + ": " + e.Msg }

// Is matches the error's kind, so errors.Is(err, ErrAuth) works.
func (e *Error) Is(target error) bool { return target == e.Kind }

func (e *Error) Unwrap() error { return e.Err }

// fail builds an *Error; msg is flattened to one line.
func fail(ref string, kind error, msg string, cause error) *Error {
	return &Error{Ref: ref, Kind: kind, Msg: joinLines(msg), Err: cause}
}

// displayRef quotes a reference only when it holds characters that would
// garble a one-line message.
func displayRef(ref string) string {
	for _, r := range ref {
		if !unicode.IsPrint(r) || unicode.IsSpace(r) {
			return strconv.Quote(ref)
		}
	}
	if ref == "" {
		return `""`
	}
	return ref
}

// joinLines joins the lines of s with "; " and caps its length: messages
// may carry text from docker or a registry.
func joinLines(s string) string {
	const max = 600
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' })
	parts := fields[:0]
	for _, f := range fields {
		if f = strings.TrimSpace(f); f != "" {
			parts = append(parts, f)
		}
	}
	out := strings.Join(parts, "; ")
	out = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, out)
	if len(out) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(out[cut]) {
			cut--
		}
		out = out[:cut] + "…"
	}
	return out
}
