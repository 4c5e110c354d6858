package api

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// StickyOptions tune UpsertSticky.
type StickyOptions struct {
	// CreateIfMissing lets UpsertSticky post a comment when none of ours
	// exists; false only edits one (a later push that leaves nothing to
	// report edits the comment to say so, and creates none).
	CreateIfMissing bool
	// ShortBody is posted instead of the body when GitHub refuses the body
	// as too long (422). Empty: the refusal is returned.
	ShortBody string
	// ExpectHeadSHA, when set, is compared with the pull request's head
	// before anything is posted: a report about an older push is dropped.
	ExpectHeadSHA string
}

// StickyAction says what UpsertSticky did.
type StickyAction string

// The actions.
const (
	StickyCreated       StickyAction = "created"
	StickyEdited        StickyAction = "edited"
	StickyUnchanged     StickyAction = "unchanged"          // ours already had this body
	StickySkippedHead   StickyAction = "skipped-head-moved" // the pull request's head is no longer ExpectHeadSHA
	StickyNoneFound     StickyAction = "none-found"         // CreateIfMissing was false and none of ours exists
	stickyNothingPosted StickyAction = ""                   // internal: the comment to edit was gone
)

// StickyResult is what UpsertSticky did.
type StickyResult struct {
	Action            StickyAction
	URL               string // the comment's HTML URL; empty when none
	CommentID         int64
	HeadSHA           string // the pull request's head, when ExpectHeadSHA asked for it
	Shortened         bool   // ShortBody was posted because the body was too long
	DuplicatesDeleted int
}

// UpsertSticky keeps exactly one comment of ours on pull request pr
// carrying marker, with body. Ours is a comment whose first line is the
// marker and whose author is a bot (user.type "Bot", as the GITHUB_TOKEN's
// github-actions is): a person quoting the marker, or the marker further
// down a comment, is never ours. The body's first line is made the marker.
//
// It edits ours in place (nothing is sent when the body is unchanged),
// creates one when there is none, and after creating lists again: when
// concurrent runs each created one, the oldest is kept with this body and
// the others are deleted, so that the runs end with one comment.
//
// A personal access token posts as a user, whose comments are never ours
// by this rule: with one, every run adds a comment.
func (c *Client) UpsertSticky(ctx context.Context, repo string, pr int, marker, body string, opts StickyOptions) (StickyResult, error) {
	o := op{what: fmt.Sprintf("update the sticky comment %s on pull request #%d of %s", marker, pr, repo), perm: permPRWrite}
	if marker == "" || strings.ContainsAny(marker, "\r\n") || strings.TrimSpace(marker) != marker {
		return StickyResult{}, usage(o, fmt.Errorf("marker %q: want one line without surrounding spaces", marker))
	}
	s := sticky{c: c, repo: repo, pr: pr, marker: marker, body: withMarker(marker, body), opts: opts}
	if opts.ShortBody != "" {
		s.short = withMarker(marker, opts.ShortBody)
	}
	if opts.ExpectHeadSHA != "" {
		p, err := c.PullRequest(ctx, repo, pr)
		if err != nil {
			return StickyResult{}, err
		}
		if p.HeadSHA != opts.ExpectHeadSHA {
			return StickyResult{Action: StickySkippedHead, HeadSHA: p.HeadSHA}, nil
		}
		s.head = p.HeadSHA
	}
	res, err := s.run(ctx)
	res.HeadSHA = s.head
	return res, err
}

// withMarker makes marker the body's first line.
func withMarker(marker, body string) string {
	if firstLine(body) == marker {
		return body
	}
	return marker + "\n" + body
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return strings.TrimSuffix(line, "\r")
}

// ours returns our comments, oldest (lowest id) first: ids grow with
// time, and every concurrent run must pick the same one to keep.
func ours(all []Comment, marker string) []Comment {
	var out []Comment
	for _, cm := range all {
		if cm.AuthorIsBot && firstLine(cm.Body) == marker {
			out = append(out, cm)
		}
	}
	slices.SortFunc(out, func(a, b Comment) int {
		if a.ID != b.ID {
			return cmp.Compare(a.ID, b.ID)
		}
		return a.CreatedAt.Compare(b.CreatedAt)
	})
	return out
}

type sticky struct {
	c           *Client
	repo        string
	pr          int
	marker      string
	body, short string
	head        string
	opts        StickyOptions
}

func (s *sticky) list(ctx context.Context) ([]Comment, error) {
	all, err := s.c.ListComments(ctx, s.repo, s.pr)
	if err != nil {
		return nil, err
	}
	return ours(all, s.marker), nil
}

func (s *sticky) run(ctx context.Context) (StickyResult, error) {
	found, err := s.list(ctx)
	if err != nil {
		return StickyResult{}, err
	}
	if len(found) == 0 {
		if !s.opts.CreateIfMissing {
			return StickyResult{Action: StickyNoneFound}, nil
		}
		// Another run may have posted since: look again right before creating.
		if found, err = s.list(ctx); err != nil {
			return StickyResult{}, err
		}
	}
	if res, ok, err := s.keep(ctx, found); ok || err != nil {
		return res, err
	}
	if len(found) > 0 && !s.opts.CreateIfMissing {
		return StickyResult{Action: StickyNoneFound}, nil // all of ours were deleted meanwhile
	}
	return s.create(ctx)
}

// keep edits the oldest of found to our body and deletes the others; when
// the oldest was deleted meanwhile, the next one is kept. ok is false when
// none was left.
func (s *sticky) keep(ctx context.Context, found []Comment) (res StickyResult, ok bool, err error) {
	for i, cm := range found {
		res, err := s.edit(ctx, cm)
		if err != nil {
			return StickyResult{}, false, err
		}
		if res.Action == stickyNothingPosted {
			continue
		}
		res.DuplicatesDeleted, err = s.deleteAll(ctx, found[i+1:])
		return res, true, err
	}
	return StickyResult{}, false, nil
}

// edit brings cm to our body; Action is empty when cm was deleted meanwhile.
func (s *sticky) edit(ctx context.Context, cm Comment) (StickyResult, error) {
	res := StickyResult{Action: StickyUnchanged, URL: cm.HTMLURL, CommentID: cm.ID}
	body := s.body
	if cm.Body == body {
		return res, nil
	}
	edited, err := s.c.EditComment(ctx, s.repo, cm.ID, body)
	if IsTooLong(err) && s.short != "" {
		res.Shortened = true
		if cm.Body == s.short {
			return res, nil
		}
		edited, err = s.c.EditComment(ctx, s.repo, cm.ID, s.short)
	}
	if IsNotFound(err) {
		return StickyResult{}, nil
	}
	if err != nil {
		return StickyResult{}, err
	}
	res.Action, res.URL = StickyEdited, edited.HTMLURL
	return res, nil
}

func (s *sticky) create(ctx context.Context) (StickyResult, error) {
	created, shortened, err := s.post(ctx)
	if err != nil {
		return s.afterFailedPost(ctx, err)
	}
	return s.settle(ctx, created, shortened)
}

// afterFailedPost looks again when a POST failed in a way that may have
// taken effect (a 5xx, a connection lost after sending, which the retry
// layer does not repeat for POST): if a comment of ours is there, it is
// the one to keep.
func (s *sticky) afterFailedPost(ctx context.Context, postErr error) (StickyResult, error) {
	var e *Error
	if !errors.As(postErr, &e) || (e.Kind != Server && e.Kind != Network) || ctx.Err() != nil {
		return StickyResult{}, postErr
	}
	found, err := s.list(ctx)
	if err != nil || len(found) == 0 {
		return StickyResult{}, postErr
	}
	res, ok, err := s.keep(ctx, found)
	if !ok && err == nil {
		return StickyResult{}, postErr
	}
	return res, err
}

func (s *sticky) post(ctx context.Context) (Comment, bool, error) {
	created, err := s.c.CreateComment(ctx, s.repo, s.pr, s.body)
	if IsTooLong(err) && s.short != "" {
		created, err = s.c.CreateComment(ctx, s.repo, s.pr, s.short)
		return created, true, err
	}
	return created, false, err
}

// settle lists again after creating: when concurrent runs each created
// one, the oldest is kept (edited to this body when it is another run's)
// and the others deleted. Two runs deleting the same duplicate is fine.
func (s *sticky) settle(ctx context.Context, created Comment, shortened bool) (StickyResult, error) {
	res := StickyResult{Action: StickyCreated, URL: created.HTMLURL, CommentID: created.ID, Shortened: shortened}
	found, err := s.list(ctx)
	if err != nil || len(found) == 0 || (len(found) == 1 && found[0].ID == created.ID) {
		return res, err
	}
	// Another run's comment is older (ours may even be deleted already by
	// that run): it is the one kept.
	keep := found[0]
	if keep.ID != created.ID {
		kept, err := s.edit(ctx, keep)
		if err != nil {
			return res, err
		}
		if kept.Action == stickyNothingPosted {
			// The oldest vanished meanwhile: keep ours, drop the rest.
			keep = created
		} else {
			res = kept
			res.Shortened = res.Shortened || shortened
		}
	}
	var dups []Comment
	for _, cm := range found {
		if cm.ID != keep.ID {
			dups = append(dups, cm)
		}
	}
	res.DuplicatesDeleted, err = s.deleteAll(ctx, dups)
	return res, err
}

// deleteAll deletes duplicates; one already gone counts as deleted by
// someone else, not as a failure.
func (s *sticky) deleteAll(ctx context.Context, dups []Comment) (int, error) {
	n := 0
	var errs []error
	for _, cm := range dups {
		err := s.c.DeleteComment(ctx, s.repo, cm.ID)
		switch {
		case err == nil:
			n++
		case !IsNotFound(err):
			errs = append(errs, err)
		}
	}
	return n, errors.Join(errs...)
}
