package botpr

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/imagedrift/imagedrift/internal/fixtures"
	"github.com/imagedrift/imagedrift/internal/packages"
)

// FuzzParse feeds titles, commit messages and bodies to the parser and
// the section: no panic, bounded and clean fields, no update twice, and a
// section whose untrusted text stays inside code spans.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "messages", "*.txt"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		title, _, _ := strings.Cut(string(b), "\n")
		f.Add(title, string(b), "", "npm")
		// The same text as a body, as when the head commit is unreadable.
		f.Add(title, "", string(b), "npm")
	}
	// The recorded texts of the shared fixtures, where present.
	recorded, _ := filepath.Glob(filepath.Join(fixtures.SharedDir(), "fixtures", "github", "bots", "*", "*.*.*"))
	for _, name := range recorded {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add("", string(b), "", "go")
		f.Add("Update all digests", "", string(b), "dpkg")
	}
	f.Add("Bump `a|b` from <x> to @y in /d", "---\nupdated-dependencies:\n- dependency-name: \"a|b\"\n...\n", "", "python")
	f.Add("Update dependency @org/x to v2 [SECURITY]", "updated-dependencies:\n- dependency-name: &a [*a]\n", "", "dpkg")
	f.Add("chore(deps): bump the g group across 2 directories with 99999999999 updates", "Bumps the g group with 1 update: [x\u202e](y).", "", "Go")
	f.Add("chore(deps): bump golang from `e84f2e8` to `4c0a181` (#7471)", "Bumps golang from `e84f2e8` to `4c0a181`.\n\n---\nupdated-dependencies:\n- dependency-name: golang\n  dependency-version: 1.24.3\n...\n", "", "go")
	f.Add("Update all digests", "", "| Package | Type | Update | Change |\n|---|---|---|---|\n| golang | stage | digest | `a9cfb75` → `f49565f` |\n| [x\\|y](https://e) ([source](z)) | final | major | [`1` -> `2`](https://d) |\n| gcr.io/a | final | digest | `8f960b7` → `e1fd250`\n|\n", "apk")
	f.Add("Update picomatch", "Updates `picomatch` from 2.3.1 to 2.3.2\nUpdates `picomatch` from 4.0.1 to 4.0.2\n", "| Package | From | To |\n| --- | --- | --- |\n| [picomatch](x) | `4.0.1` | `4.0.2` |\n<details>\n| Package | Change |\n|-|-|\n| evil | `1` -> `2` |\n</details>\n", "npm")
	f.Fuzz(func(t *testing.T, title, msg, body, eco string) {
		d := Parse(Renovate, title, msg, body)
		if len(d.Updates) > maxUpdates || len(d.Directories) > maxUpdates || d.Count < 0 {
			t.Fatalf("%d updates, %d directories, count %d", len(d.Updates), len(d.Directories), d.Count)
		}
		if len(d.Advisories) > maxAdvisories {
			t.Fatalf("%d advisories", len(d.Advisories))
		}
		for _, id := range d.Advisories {
			if !IsAdvisoryID(id) || id != canonicalAdvisory(id) {
				t.Fatalf("advisory %q", id)
			}
		}
		seen := map[[5]string]bool{}
		for _, u := range d.Updates {
			key := [5]string{strings.ToLower(u.Name), normVersion(u.From), normVersion(u.To), u.FromDigest, u.ToDigest}
			if !isName(u.Name) || seen[key] {
				t.Fatalf("bad or repeated update %+v", u)
			}
			seen[key] = true
			for _, s := range []string{u.Name, u.From, u.To, u.FromDigest, u.ToDigest, u.Type, u.UpdateType, u.Group} {
				checkField(t, s)
			}
		}
		for _, s := range append([]string{d.Group, d.Directory}, d.Directories...) {
			checkField(t, s)
		}
		// The fuzzed strings also stand for what an image holds.
		var changes []Change
		for _, u := range d.Updates {
			changes = append(changes, Change{Ecosystem: eco, Name: u.Name, From: u.From, To: u.To, Bump: packages.Bump(u.UpdateType)})
		}
		changes = append(changes, Change{Ecosystem: eco, Name: title, To: msg}, Change{Ecosystem: eco, Name: body, From: title})
		c := Compare(d, changes, []string{title, body})
		checkSection(t, c.Section().Body)
		for _, r := range c.Risks() {
			if r.ID == "" || r.Subject == "" {
				t.Fatalf("risk %+v", r)
			}
		}
	})
}

func checkField(t *testing.T, s string) {
	t.Helper()
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > maxField {
		t.Fatalf("field %q: invalid or too long", s)
	}
	for _, r := range s {
		if r < ' ' || r == 0x7f {
			t.Fatalf("field %q holds a control character", s)
		}
	}
}

// checkSection asserts that, code spans aside, the section is the fixed
// text: no HTML but <br>, no link, mention or reference, and table rows
// with the columns of their header.
func checkSection(t *testing.T, body string) {
	t.Helper()
	if !utf8.ValidString(body) {
		t.Fatal("section is not UTF-8")
	}
	cols := 0
	for _, line := range strings.Split(body, "\n") {
		outside := strings.ReplaceAll(stripCode(t, line), "<br>", "")
		if strings.ContainsAny(outside, "<>@[]#!&\\\r\u202e") || strings.Contains(outside, "://") {
			t.Fatalf("untrusted text outside code spans: %q (line %q)", outside, line)
		}
		if !strings.HasPrefix(line, "|") {
			cols = 0
			continue
		}
		n := strings.Count(strings.ReplaceAll(outsideCodeRaw(line), `\|`, ""), "|")
		if cols == 0 {
			cols = n
		} else if n != cols {
			t.Fatalf("row %q has %d pipes, header %d", line, n, cols)
		}
	}
}

// stripCode removes the code spans of a line, failing on an unclosed one.
func stripCode(t *testing.T, line string) string {
	t.Helper()
	var out strings.Builder
	for i := 0; i < len(line); {
		if line[i] != '`' {
			out.WriteByte(line[i])
			i++
			continue
		}
		n := 0
		for i+n < len(line) && line[i+n] == '`' {
			n++
		}
		end := closingFence(line[i+n:], n)
		if end < 0 {
			t.Fatalf("unclosed code span in %q", line)
		}
		i += n + end + n
	}
	return out.String()
}

// outsideCodeRaw keeps what is outside code spans, with escaped pipes
// inside spans dropped, as GFM reads table cells.
func outsideCodeRaw(line string) string {
	var out strings.Builder
	for i := 0; i < len(line); {
		if line[i] != '`' {
			out.WriteByte(line[i])
			i++
			continue
		}
		n := 0
		for i+n < len(line) && line[i+n] == '`' {
			n++
		}
		end := closingFence(line[i+n:], n)
		if end < 0 {
			return out.String() + line[i:]
		}
		i += n + end + n
	}
	return out.String()
}

// closingFence finds a run of exactly n backticks in s.
func closingFence(s string, n int) int {
	for j := 0; j < len(s); {
		if s[j] != '`' {
			j++
			continue
		}
		m := 0
		for j+m < len(s) && s[j+m] == '`' {
			m++
		}
		if m == n {
			return j
		}
		j += m
	}
	return -1
}
