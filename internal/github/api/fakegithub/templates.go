package fakegithub

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/imagedrift/imagedrift/internal/github/api/recorded"
)

// templates are recorded GitHub bodies that every answer starts from:
// the fake fills in ids, bodies, users, times and URLs, and leaves the
// rest as GitHub sent it.
type templates struct {
	comment, issue, label, pull, checkRun map[string]any
	bot, person                           map[string]any // user objects
	notFound, unauthorized, forbidden     map[string]any // error bodies
	tooLongCreate, tooLongEdit            map[string]any
}

func loadTemplates(dir string) (*templates, error) {
	get := func(rel string, i int) (map[string]any, error) {
		xs, err := recorded.LoadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			return nil, err
		}
		if i >= len(xs) {
			return nil, fmt.Errorf("%s has no exchange %d", rel, i)
		}
		var m map[string]any
		if err := json.Unmarshal(xs[i].Body, &m); err != nil {
			return nil, fmt.Errorf("%s, exchange %d: %w", rel, i, err)
		}
		return m, nil
	}
	t := &templates{}
	var err error
	for _, l := range []struct {
		dst *map[string]any
		rel string
		i   int
	}{
		{&t.comment, "api/octokit-rb-vcr/issue-comment.create.json", 2},
		{&t.issue, "api/octokit-fixtures/add-labels-to-issue.json", 0},
		{&t.pull, "api/octokit-rb-vcr/pull-request.create-get-update.json", 4},
		{&t.checkRun, "api/octokit-rb-vcr/check-run.create.json", 0},
		{&t.notFound, "api/octokit-rb-vcr/commit-comment.delete-then-404.json", 6},
		{&t.unauthorized, "api/octokit-rb-vcr/error.401-bad-credentials.json", 0},
	} {
		if *l.dst, err = get(l.rel, l.i); err != nil {
			return nil, err
		}
	}
	if err := t.loadRest(dir); err != nil {
		return nil, err
	}
	return t, nil
}

func (t *templates) loadRest(dir string) error {
	xs, err := recorded.LoadFile(filepath.Join(dir, "api", "octokit-fixtures", "add-labels-to-issue.json"))
	if err != nil {
		return err
	}
	var labels []map[string]any
	if len(xs) < 2 || json.Unmarshal(xs[1].Body, &labels) != nil || len(labels) == 0 {
		return fmt.Errorf("add-labels-to-issue.json: no label in exchange 1")
	}
	t.label = labels[0]
	// The bot is the author of a real sticky comment (snippet-bot, a GitHub
	// App), renamed to the GITHUB_TOKEN's github-actions.
	var ev struct {
		Comment struct {
			User map[string]any `json:"user"`
		} `json:"comment"`
	}
	if err := readJSON(filepath.Join(dir, "webhooks", "issue_comment.edited.on-pr-bot-sticky.json"), &ev); err != nil {
		return err
	}
	t.bot = ev.Comment.User
	t.person = clone(t.comment)["user"].(map[string]any)
	return t.loadObserved(dir)
}

// loadObserved reads the error bodies quoted in bug reports, for the
// shapes no recording holds (403 read-only token, 422 too long).
func (t *templates) loadObserved(dir string) error {
	var o struct {
		Entries []struct {
			Status int            `json:"status"`
			Body   map[string]any `json:"body"`
		} `json:"entries"`
	}
	if err := readJSON(filepath.Join(dir, "api", "observed-in-issue-reports.json"), &o); err != nil {
		return err
	}
	if len(o.Entries) < 4 || o.Entries[0].Status != 422 || o.Entries[2].Status != 422 || o.Entries[3].Status != 403 {
		return fmt.Errorf("observed-in-issue-reports.json: entries are not the expected 422, 422 and 403")
	}
	t.tooLongCreate, t.tooLongEdit, t.forbidden = o.Entries[0].Body, o.Entries[2].Body, o.Entries[3].Body
	return nil
}

// user returns a user object for login: a bot (login ending in "[bot]")
// from the recorded bot, anyone else from the recorded person, every URL
// renamed.
func (t *templates) user(login string) map[string]any {
	src, old := t.person, t.person["login"].(string)
	name := login
	if strings.HasSuffix(login, "[bot]") {
		src, old = t.bot, strings.TrimSuffix(t.bot["login"].(string), "[bot]")
		name = strings.TrimSuffix(login, "[bot]")
	}
	u := clone(src)
	for k, v := range u {
		if s, ok := v.(string); ok {
			u[k] = strings.ReplaceAll(s, old, name)
		}
	}
	u["login"] = login
	return u
}

func clone(m map[string]any) map[string]any {
	b, err := json.Marshal(m)
	if err != nil {
		panic(err) // decoded from JSON, so it encodes
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return out
}
