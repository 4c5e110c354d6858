package api

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Kind sorts failures by what the caller can do about them.
type Kind int

// The kinds of failure.
const (
	Other        Kind = iota // anything below: a 400, an unreadable answer, too many pages
	Unauthorized             // 401: the token is missing, invalid or expired
	Forbidden                // 403 that is not a rate limit: the token may not do this
	NotFound                 // 404 or 410
	Validation               // 422: GitHub refused the content
	RateLimited              // primary or secondary rate limit, 429
	Server                   // 5xx
	Network                  // no HTTP answer: connection, timeout, cancellation
)

var kindNames = [...]string{"other", "unauthorized", "forbidden", "not found", "validation", "rate limited", "server", "network"}

func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return fmt.Sprintf("Kind(%d)", int(k))
	}
	return kindNames[k]
}

// Error is every failure of a Client operation.
type Error struct {
	Op      string       // what was being done: "create comment on pull request #2 of o/r"
	Kind    Kind         // why, sorted
	Status  int          // HTTP status; 0 without an answer
	Message string       // GitHub's message, or the network error
	Errors  []FieldError // a 422's errors[]
	Reset   time.Time    // primary rate limit: when it resets, if known
	Retry   string       // what the retry layer did ("gave up after 5 attempts"), if anything
	Hint    string       // what to do
	Err     error        // the cause
}

// FieldError is one entry of a 422's errors[].
type FieldError struct {
	Resource, Field, Code, Message string
}

// Error is one line: what was being done, why it failed, what to do.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	b.WriteString(": ")
	b.WriteString(e.why())
	for _, s := range []string{e.Retry, e.Hint} {
		if s != "" {
			b.WriteString("; ")
			b.WriteString(s)
		}
	}
	return oneLine(b.String())
}

func (e *Error) why() string {
	if e.Status == 0 {
		if e.Message == "" {
			return e.Kind.String()
		}
		return e.Message
	}
	s := fmt.Sprintf("GitHub answered %d", e.Status)
	if e.Message != "" {
		s += " " + e.Message
	}
	var details []string
	for _, f := range e.Errors {
		details = append(details, f.String())
	}
	if len(details) > 0 {
		s += " (" + strings.Join(details, "; ") + ")"
	}
	return s
}

func (f FieldError) String() string {
	var where []string
	for _, s := range []string{f.Resource, f.Field, f.Code} {
		if s != "" {
			where = append(where, s)
		}
	}
	switch {
	case f.Message == "":
		return strings.Join(where, " ")
	case len(where) == 0:
		return f.Message
	}
	return strings.Join(where, " ") + ": " + f.Message
}

func (e *Error) Unwrap() error { return e.Err }

// IsPermission reports whether err is a 403 that is not a rate limit:
// the token may not do what was asked (typically "Resource not accessible
// by integration", a missing permissions: entry or a fork's read-only token).
func IsPermission(err error) bool { return isKind(err, Forbidden) }

// IsNotFound reports whether err is a 404 (or 410): the repository, pull
// request or comment does not exist, or the token cannot see it.
func IsNotFound(err error) bool { return isKind(err, NotFound) }

// IsTooLong reports whether GitHub refused a body as too long (a 422
// whose message or errors[] say "is too long"; GitHub's comment limit is
// 65536 characters).
func IsTooLong(err error) bool {
	var e *Error
	if !errors.As(err, &e) || e.Kind != Validation {
		return false
	}
	if tooLong(e.Message) {
		return true
	}
	for _, f := range e.Errors {
		if tooLong(f.Message) || f.Code == "too_long" {
			return true
		}
	}
	return false
}

func tooLong(s string) bool { return strings.Contains(strings.ToLower(s), "is too long") }

func isKind(err error, k Kind) bool {
	var e *Error
	return errors.As(err, &e) && e.Kind == k
}

// oneLine folds whitespace runs (newlines included) into single spaces and
// caps the length, since messages end up in one-line workflow annotations.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	const maxLen = 1000
	if len(s) > maxLen {
		cut := maxLen
		for cut > 0 && !isRuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
