package api

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	gh "github.com/google/go-github/v57/github"
)

// newError sorts a failure from go-github or the transport into an *Error
// with a hint, and scrubs the token from every string it keeps.
func (c *Client) newError(o op, err error, tr *trace) *Error {
	e := &Error{Op: o.what, Err: err, Retry: tr.note}
	var (
		rl  *gh.RateLimitError
		ab  *gh.AbuseRateLimitError
		tfa *gh.TwoFactorAuthError
		er  *gh.ErrorResponse
	)
	switch {
	case errors.As(err, &rl):
		e.Kind, e.Status, e.Message, e.Reset = RateLimited, status(rl.Response), rl.Message, rl.Rate.Reset.Time
	case errors.As(err, &ab):
		e.Kind, e.Status, e.Message = RateLimited, status(ab.Response), ab.Message
	case errors.As(err, &tfa):
		e.Kind, e.Status, e.Message = Unauthorized, status(tfa.Response), tfa.Message
	case errors.As(err, &er):
		e.Status, e.Message = status(er.Response), er.Message
		e.Kind = kindOf(e.Status, e.Message)
		if e.Kind == Forbidden && er.Response.Header.Get("Retry-After") != "" {
			e.Kind = RateLimited // a 403 that says when to come back is a limit, whatever its message
		}
		if reset, ok := rateReset(er.Response.Header); ok && e.Kind == RateLimited &&
			strings.TrimSpace(er.Response.Header.Get("X-RateLimit-Remaining")) == "0" {
			e.Reset = reset // a 429 primary limit, which go-github does not sort
		}
		for _, f := range er.Errors {
			e.Errors = append(e.Errors, FieldError{Resource: f.Resource, Field: f.Field, Code: f.Code, Message: f.Message})
		}
	case isNetwork(err):
		e.Kind, e.Message = Network, networkMessage(err)
	default:
		e.Message = "reading GitHub's answer: " + err.Error()
	}
	if e.Message == "" && e.Status != 0 {
		e.Message = http.StatusText(e.Status)
	}
	c.scrubError(e)
	e.Hint = c.hint(o, e)
	return e
}

// scrubError removes the token from every string of e, its cause included.
func (c *Client) scrubError(e *Error) {
	e.Message, e.Retry = c.scrub(e.Message), c.scrub(e.Retry)
	for i := range e.Errors {
		f := &e.Errors[i]
		f.Resource, f.Field, f.Code, f.Message = c.scrub(f.Resource), c.scrub(f.Field), c.scrub(f.Code), c.scrub(f.Message)
	}
	if c.token != "" && e.Err != nil && strings.Contains(e.Err.Error(), c.token) {
		// The cause's own text holds the token (a server echoing it): keep
		// its words only, so that no link of the chain shows it.
		e.Err = errors.New(c.scrub(e.Err.Error()))
	}
}

func status(r *http.Response) int {
	if r == nil {
		return 0
	}
	return r.StatusCode
}

func kindOf(status int, message string) Kind {
	switch {
	case status == http.StatusUnauthorized:
		return Unauthorized
	case status == http.StatusTooManyRequests:
		return RateLimited
	case status == http.StatusForbidden && strings.Contains(strings.ToLower(message), "rate limit"):
		return RateLimited
	case status == http.StatusForbidden:
		return Forbidden
	case status == http.StatusNotFound || status == http.StatusGone:
		return NotFound
	case status == http.StatusUnprocessableEntity:
		return Validation
	case status >= 500:
		return Server
	}
	return Other
}

func isNetwork(err error) bool {
	var ue *url.Error
	var ne net.Error
	return errors.As(err, &ue) || errors.As(err, &ne) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

func networkMessage(err error) string {
	switch {
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		// Op and URL are what is being reached; the cause says why.
		return fmt.Sprintf("cannot reach %s: %v", hostOf(ue.URL), ue.Err)
	}
	return err.Error()
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "GitHub"
	}
	return u.Scheme + "://" + u.Host
}

// hint says what to do, by kind.
func (c *Client) hint(o op, e *Error) string {
	switch e.Kind {
	case Unauthorized:
		return "the token is missing, invalid or expired: check the token the workflow passes"
	case Forbidden:
		return c.permissionHint(o, e)
	case NotFound:
		return "check the repository and number; GitHub also answers 404 to a token that may not read a private repository"
	case Validation:
		if IsTooLong(e) {
			return "shorten the text"
		}
	case RateLimited:
		if !strings.Contains(e.Retry, "retry then") {
			return "retry later"
		}
	case Server:
		return "GitHub failed to answer; retry later (https://www.githubstatus.com)"
	case Network:
		if e.Message != "canceled" {
			return "check that " + c.base.Scheme + "://" + c.base.Host + " can be reached from here"
		}
	}
	return ""
}

func (c *Client) permissionHint(o op, e *Error) string {
	if !strings.Contains(strings.ToLower(e.Message), "resource not accessible") || o.perm == "" {
		return "the token may not do this"
	}
	return fmt.Sprintf("the token lacks %q: add it under permissions: in the workflow or job; "+
		"a pull request from a fork gets a read-only token whatever the workflow asks, so %s", o.perm, c.fork)
}
