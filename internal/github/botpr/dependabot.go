package botpr

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/imagedrift/imagedrift/internal/oneline"
)

// Bot is the dependency bot that opened a pull request.
type Bot string

const (
	Dependabot Bot = "dependabot"
	Renovate   Bot = "renovate"
)

// Name is how reports name the bot.
func (b Bot) Name() string {
	switch b {
	case Dependabot:
		return "Dependabot"
	case Renovate:
		return "Renovate"
	}
	return "the pull request"
}

// Detect says which bot opened a pull request, from its author's login,
// its head branch and its title; "" for anyone else. The login decides
// when it is a bot account. Otherwise the branch prefix the bot uses and a
// title in the bot's shape must both be there, for self-hosted bots that
// post under another account. Detection only ever adds checks (the
// undeclared-change risk), so a person who imitates a bot gains nothing.
func Detect(author, branch, title string) Bot {
	switch strings.ToLower(author) {
	case "dependabot[bot]", "dependabot-preview[bot]":
		return Dependabot
	case "renovate[bot]":
		return Renovate
	}
	t := ParseTitle(title)
	if len(t.Updates) == 0 && t.Group == "" && !t.Unnamed {
		return ""
	}
	switch {
	case strings.HasPrefix(branch, "dependabot/"):
		return Dependabot
	case strings.HasPrefix(branch, "renovate/"):
		return Renovate
	}
	return ""
}

// Update is one dependency update a pull request declares. Versions (for
// an image, its tag) and digests are kept apart, as the bot wrote them
// ("" when it did not say); UpdateType is the bot's claim and is only ever
// shown as such: the bump level of a change comes from the image.
type Update struct {
	Name string `json:"name"`
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// FromDigest and ToDigest are the digests a digest update pins: an
	// image's ("4c0a181", "sha256:4c0a…") or a commit's, as written.
	FromDigest string `json:"fromDigest,omitempty"`
	ToDigest   string `json:"toDigest,omitempty"`
	// Type is Dependabot's dependency-type (direct:production, indirect)
	// or the Type column of Renovate's table (stage, final,
	// devDependencies).
	Type string `json:"type,omitempty"`
	// UpdateType is Dependabot's update-type
	// (version-update:semver-minor) or the Update column of Renovate's
	// table (minor, digest).
	UpdateType string `json:"updateType,omitempty"`
	Group      string `json:"group,omitempty"`
}

// Declared is what a pull request says it updates.
type Declared struct {
	Bot   Bot    `json:"bot,omitempty"`
	Group string `json:"group,omitempty"` // the dependency group of a grouped update
	// Directory is the manifest directory the pull request states ("/" is
	// the root), "" when it states none or several: a bot that leaves it
	// out does not say the root.
	Directory string `json:"directory,omitempty"`
	// Directories are the directories of a group update across several.
	Directories []string `json:"directories,omitempty"`
	// Count is the number of updates the title announces ("with 3
	// updates"), 0 when it names them instead.
	Count   int      `json:"count,omitempty"`
	Updates []Update `json:"updates"`
	// Unnamed is set for titles that announce updates without naming
	// them ("Update all non-major dependencies", "Lock file maintenance").
	Unnamed bool `json:"unnamed,omitempty"`
	// Ambiguous is set when the title's one name may be a group of the
	// bot's configuration rather than a dependency (Renovate's "Update X
	// to v2").
	Ambiguous bool `json:"ambiguous,omitempty"`
	// Advisories are the GHSA and CVE ids the pull request names: those
	// a security update says it fixes (see advisories).
	Advisories []string `json:"advisories,omitempty"`
}

// Complete reports whether every update the pull request announces is
// named, so that anything else the image changed was not declared.
func (d *Declared) Complete() bool {
	return len(d.Updates) > 0 && !d.Unnamed && d.Count <= len(d.Updates)
}

// addDirectory records a directory the pull request states: one is kept
// in Directory, more in Directories.
func (d *Declared) addDirectory(dir string) {
	dir = clean(dir)
	switch {
	case dir == "" || dir == d.Directory || slices.Contains(d.Directories, dir):
	case d.Directory == "" && len(d.Directories) == 0:
		d.Directory = dir
	case len(d.Directories) < maxUpdates:
		if d.Directory != "" {
			d.Directories = append(d.Directories, d.Directory)
			d.Directory = ""
		}
		d.Directories = append(d.Directories, dir)
	}
}

// Bounds on untrusted text: titles are capped by GitHub at 256 characters,
// bodies at 65,536, commit messages not at all.
const (
	maxTitle   = 1024
	maxMessage = 64 << 10
	maxBody    = 256 << 10 // GitHub's 65,536 characters, up to 4 bytes each
	maxUpdates = 500
	maxField   = 256
)

// Parse reads the updates a bot's pull request declares from its title,
// the message of its head commit (which holds Dependabot's
// updated-dependencies block) and its body (pull_request.body, where
// Renovate's table names the updates of a title such as "Update all
// digests"). The message wins where they disagree, then the body, then
// the message's subject: the title may have been edited, and it is the
// shortest.
func Parse(bot Bot, title, message, body string) Declared {
	d := ParseTitle(title)
	d.Bot = bot
	d.Advisories = advisories(oneline.Cap(title, maxTitle), oneline.Cap(message, maxMessage), oneline.Cap(body, maxBody))
	m, mTabled := parseText(message, maxMessage)
	b, bTabled := parseText(body, maxBody)
	for _, t := range []*Declared{&m, &b} {
		if d.Group == "" {
			d.Group = t.Group
		}
		if d.Count == 0 && t.Count > 0 && len(t.Updates) == 0 {
			d.Count = t.Count
		}
	}
	for _, t := range []*Declared{&b, &m} {
		if t.Directory != "" || len(t.Directories) > 0 {
			// The texts name the directories of a group across several.
			d.Directory, d.Directories = t.Directory, t.Directories
		}
	}
	subject := ParseTitle(firstLine(message))
	if d.Directory == "" && len(d.Directories) == 0 {
		d.Directory = subject.Directory
	}
	record, other, tabled := m.Updates, b.Updates, mTabled
	if len(record) == 0 {
		record, other, tabled = b.Updates, nil, bTabled
	}
	if len(record) == 0 {
		return d
	}
	// The record lists every update; the others add versions they know.
	// The message's subject was the title when the commit was made: it
	// comes before the title, which may have been edited since.
	fromTitle := d.Updates
	d.Updates = record
	fill(d.Updates, other)
	fill(d.Updates, subject.Updates)
	fill(d.Updates, fromTitle)
	keepTags(d.Updates)
	if len(fromTitle) > 0 || d.Count > 0 || d.Group != "" || tabled {
		// The texts name the updates the title announced.
		d.Unnamed = false
	}
	d.Ambiguous = false
	return d
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(oneline.Cap(s, maxTitle), "\n")
	return line
}

// clean makes one field of a bot's text safe to keep: valid UTF-8, no
// control characters, no surrounding quotes or backticks, bounded.
func clean(s string) string {
	s = strings.TrimSpace(oneline.Clean(s))
	s = strings.Trim(s, "`\"'")
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > maxField {
		r := []rune(s)
		s = string(r[:maxField])
	}
	return s
}
