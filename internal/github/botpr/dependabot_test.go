package botpr

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func readMessage(t *testing.T, name string) (title, msg string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "messages", name))
	if err != nil {
		t.Fatal(err)
	}
	msg = string(b)
	title, _, _ = strings.Cut(msg, "\n")
	return title, msg
}

func TestParseMessages(t *testing.T) {
	tests := []struct {
		file string
		want Declared
	}{
		{"single-npm.txt", Declared{Bot: Dependabot, Updates: []Update{
			{Name: "lodash", From: "4.17.15", To: "4.17.21", Type: "direct:production"}}}},
		{"single-go-version.txt", Declared{Bot: Dependabot, Directory: "/tools", Updates: []Update{
			{Name: "golang.org/x/net", From: "0.33.0", To: "0.38.0", Type: "direct:production", UpdateType: "version-update:semver-minor"}}}},
		{"multi-npm.txt", Declared{Bot: Dependabot, Updates: []Update{
			{Name: "@babel/traverse", From: "7.22.5", To: "7.23.2", Type: "indirect"},
			{Name: "@babel/core", From: "7.22.5", To: "7.23.2", Type: "direct:development"}}}},
		{"group-across.txt", Declared{Bot: Dependabot, Group: "npm_and_yarn", Directory: "/", Count: 3, Updates: []Update{
			{Name: "braces", From: "3.0.2", To: "3.0.3", Type: "indirect", Group: "npm_and_yarn"},
			{Name: "ws", From: "8.16.0", To: "8.17.1", Type: "indirect", Group: "npm_and_yarn"},
			{Name: "express", From: "4.18.2", To: "4.19.2", Type: "direct:production", Group: "npm_and_yarn"}}}},
		{"group-table.txt", Declared{Bot: Dependabot, Group: "python-packages", Count: 4, Updates: []Update{
			{Name: "requests", From: "2.31.0", To: "2.32.3", Type: "direct:production", UpdateType: "version-update:semver-minor", Group: "python-packages"},
			{Name: "urllib3", From: "2.2.1", To: "2.2.2", Type: "indirect", UpdateType: "version-update:semver-patch", Group: "python-packages"},
			{Name: "jinja2", From: "3.1.3", To: "3.1.4", Type: "direct:production", UpdateType: "version-update:semver-patch", Group: "python-packages"},
			{Name: "certifi", From: "2024.2.2", To: "2024.7.4", Type: "indirect", UpdateType: "version-update:semver-major", Group: "python-packages"}}}},
		{"group-one.txt", Declared{Bot: Dependabot, Group: "xunit", Count: 1, Updates: []Update{
			{Name: "xunit", Type: "direct:production", UpdateType: "version-update:semver-patch", Group: "xunit"}}}},
		{"docker.txt", Declared{Bot: Dependabot, Updates: []Update{
			{Name: "python", From: "3.11-slim", To: "3.12-slim", Type: "direct:production"}}}},
		{"requirement.txt", Declared{Bot: Dependabot, Updates: []Update{
			{Name: "rubocop", From: "~> 1.50", To: "~> 1.56", Type: "direct:development"}}}},
		{"person.txt", Declared{Bot: Dependabot}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			title, msg := readMessage(t, tt.file)
			got := Parse(Dependabot, title, msg, "")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
			wantComplete := tt.file != "person.txt"
			if got.Complete() != wantComplete {
				t.Errorf("Complete() = %v, want %v", got.Complete(), wantComplete)
			}
		})
	}
}

// The title alone, as when the head commit's message cannot be read.
func TestParseTitle(t *testing.T) {
	tests := []struct {
		title string
		want  Declared
	}{
		{"Bump lodash from 4.17.15 to 4.17.21", Declared{Updates: []Update{{Name: "lodash", From: "4.17.15", To: "4.17.21"}}}},
		{"chore(deps): bump lodash from 4.17.15 to 4.17.21", Declared{Updates: []Update{{Name: "lodash", From: "4.17.15", To: "4.17.21"}}}},
		{"build(deps-dev): bump eslint from 8.57.0 to 9.0.0 in /web", Declared{Directory: "/web",
			Updates: []Update{{Name: "eslint", From: "8.57.0", To: "9.0.0"}}}},
		{"[Security] Bump golang.org/x/crypto from 0.16.0 to 0.17.0", Declared{Updates: []Update{{Name: "golang.org/x/crypto", From: "0.16.0", To: "0.17.0"}}}},
		{"⬆️ Bump serde from 1.0.196 to 1.0.197", Declared{Updates: []Update{{Name: "serde", From: "1.0.196", To: "1.0.197"}}}},
		{"Bump golang from 1.21.5-alpine3.18 to 1.22.0-alpine3.18 in /build", Declared{Directory: "/build",
			Updates: []Update{{Name: "golang", From: "1.21.5-alpine3.18", To: "1.22.0-alpine3.18"}}}},
		{"Bump the go-deps group with 5 updates", Declared{Group: "go-deps", Count: 5}},
		{"Bump the go-deps group in /tools with 2 updates", Declared{Group: "go-deps", Directory: "/tools", Count: 2}},
		{"Bump the npm_and_yarn group across 1 directory with 3 updates", Declared{Group: "npm_and_yarn", Count: 3}},
		{"chore(deps): bump the actions group across 2 directories with 1 update", Declared{Group: "actions", Count: 1}},
		{"Bump xunit from 2.6.2 to 2.6.3 in the xunit group", Declared{Group: "xunit",
			Updates: []Update{{Name: "xunit", From: "2.6.2", To: "2.6.3", Group: "xunit"}}}},
		{"Bump requests from 2.31.0 to 2.32.3 in the pip group across 1 directory", Declared{Group: "pip",
			Updates: []Update{{Name: "requests", From: "2.31.0", To: "2.32.3", Group: "pip"}}}},
		{"Bump @babel/traverse and @babel/core", Declared{Updates: []Update{{Name: "@babel/traverse"}, {Name: "@babel/core"}}}},
		{"Bump postcss, next and nanoid in /app", Declared{Directory: "/app", Updates: []Update{{Name: "postcss"}, {Name: "next"}, {Name: "nanoid"}}}},
		{"Bump `abc1234` dependency set from 1.0 to 2.0", Declared{Updates: []Update{{Name: "abc1234", From: "1.0", To: "2.0"}}}},
		{"Update rubocop requirement from ~> 1.50 to ~> 1.56", Declared{Updates: []Update{{Name: "rubocop", From: "~> 1.50", To: "~> 1.56"}}}},
		{"Update pytest requirement from <8,>=7 to >=7,<9 in /backend", Declared{Directory: "/backend",
			Updates: []Update{{Name: "pytest", From: "<8,>=7", To: ">=7,<9"}}}},
		{"Update requirements for rack, rails and puma", Declared{Updates: []Update{{Name: "rack"}, {Name: "rails"}, {Name: "puma"}}}},
		// Renovate.
		{"chore(deps): update dependency x to v2", Declared{Updates: []Update{{Name: "x", To: "v2"}}}},
		{"Update dependency lodash to v4.17.21 [SECURITY]", Declared{Updates: []Update{{Name: "lodash", To: "v4.17.21"}}}},
		{"fix(deps): update module github.com/spf13/cobra to v1.8.1", Declared{Updates: []Update{{Name: "github.com/spf13/cobra", To: "v1.8.1"}}}},
		{"Update debian Docker tag to v12", Declared{Updates: []Update{{Name: "debian", To: "v12"}}}},
		{"Update golang Docker digest to 3f2e1a4", Declared{Updates: []Update{{Name: "golang", ToDigest: "3f2e1a4"}}}},
		{"chore(deps): bump golang from `e84f2e8` to `4c0a181`", Declared{Updates: []Update{{Name: "golang", FromDigest: "e84f2e8", ToDigest: "4c0a181"}}}},
		{"Bump actions/checkout from `b4ffde6` to `v4.1.1`", Declared{Updates: []Update{{Name: "actions/checkout", FromDigest: "b4ffde6", To: "v4.1.1"}}}},
		{"Bump golang from 1.24-alpine@sha256:e84f2e8 to 1.24-alpine@sha256:4c0a181", Declared{Updates: []Update{
			{Name: "golang", From: "1.24-alpine", To: "1.24-alpine", FromDigest: "sha256:e84f2e8", ToDigest: "sha256:4c0a181"}}}},
		// A squash merge's subject.
		{"chore(deps): bump golang from 1.23.5 to 1.23.6 (#7084)", Declared{Updates: []Update{{Name: "golang", From: "1.23.5", To: "1.23.6"}}}},
		{"chore(deps): update docker digest updates (#3147)", Declared{Unnamed: true}},
		// Unquoted hex in Dependabot's title is a version: it quotes digests.
		{"Bump tzdata from 2024010 to 2024020", Declared{Updates: []Update{{Name: "tzdata", From: "2024010", To: "2024020"}}}},
		{"Update actions/checkout action to v4", Declared{Updates: []Update{{Name: "actions/checkout", To: "v4"}}}},
		{"Update rust crate serde to 1.0.197", Declared{Updates: []Update{{Name: "serde", To: "1.0.197"}}}},
		{"chore(deps): update dependency eslint to v9 (major)", Declared{Updates: []Update{{Name: "eslint", To: "v9"}}}},
		{"Update node.js to v20.11.1", Declared{Ambiguous: true, Updates: []Update{{Name: "node.js", To: "v20.11.1"}}}},
		{"Update linters to v8 (major)", Declared{Ambiguous: true, Updates: []Update{{Name: "linters", To: "v8"}}}},
		{"Update typescript-eslint monorepo to v7", Declared{Group: "typescript-eslint", Unnamed: true}},
		{"Update all non-major dependencies", Declared{Unnamed: true}},
		{"chore(deps): lock file maintenance", Declared{Unnamed: true}},
		// Not a bot's title.
		{"Add a health check", Declared{}},
		{"Bump the version to 2.0 for the release", Declared{}},
		{"", Declared{}},
	}
	for _, tt := range tests {
		got := ParseTitle(tt.title)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseTitle(%q) (-want +got):\n%s", tt.title, diff)
		}
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		author, branch, title string
		want                  Bot
	}{
		{"dependabot[bot]", "dependabot/npm_and_yarn/lodash-4.17.21", "Bump lodash from 4.17.15 to 4.17.21", Dependabot},
		{"dependabot[bot]", "dependabot/docker/python-3.12-slim", "Any title at all", Dependabot},
		{"renovate[bot]", "renovate/lodash-4.x", "Update dependency lodash to v4.17.21", Renovate},
		// Self-hosted bots post as another account: branch and title decide.
		{"acme-deps-bot", "renovate/lodash-4.x", "chore(deps): update dependency lodash to v4.17.21", Renovate},
		{"acme-deps-bot", "dependabot/go_modules/golang.org/x/net-0.38.0", "Bump golang.org/x/net from 0.33.0 to 0.38.0", Dependabot},
		// A person: the branch alone or the title alone is not enough.
		{"octocat", "renovate/lodash-4.x", "Add a health check", ""},
		{"octocat", "feature/bump", "Bump lodash from 4.17.15 to 4.17.21", ""},
		{"octocat", "main", "", ""},
	}
	for _, tt := range tests {
		if got := Detect(tt.author, tt.branch, tt.title); got != tt.want {
			t.Errorf("Detect(%q, %q, %q) = %q, want %q", tt.author, tt.branch, tt.title, got, tt.want)
		}
	}
}

// A message whose block does not parse still yields what its body says;
// a block whose values are not strings declares only what can be read.
func TestParseMessageMalformed(t *testing.T) {
	tests := []struct {
		name, msg string
		want      []string
	}{
		{"unterminated quote", "Bump a from 1 to 2\n\nBumps [a](https://x) from 1 to 2.\n\n---\nupdated-dependencies:\n- dependency-name: \"a\n...\n", []string{"a"}},
		{"list as a name", "---\nupdated-dependencies:\n- dependency-name: [x, y]\n- dependency-name: b\n...\n", nil},
		{"no block end", "---\nupdated-dependencies:\n- dependency-name: a\n  dependency-type: indirect\n", []string{"a"}},
		{"name with spaces", "---\nupdated-dependencies:\n- dependency-name: two words\n- dependency-name: ok\n...\n", []string{"ok"}},
		{"crlf", "Bump a from 1 to 2\r\n\r\n---\r\nupdated-dependencies:\r\n- dependency-name: a\r\n...\r\n", []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, u := range ParseMessage(tt.msg).Updates {
				got = append(got, u.Name)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
		})
	}
}

// The lines of a message body that name one update, versions as written.
func TestParseMessageLines(t *testing.T) {
	tests := []struct {
		line string
		want []Update
	}{
		{"Updates `org.apache.commons:commons-compress` from 1.26.0 to 1.27.1", []Update{{Name: "org.apache.commons:commons-compress", From: "1.26.0", To: "1.27.1"}}},
		// Dependabot leaves "from" out when it does not know the version
		// it replaces.
		{"Updates `org.apache.commons:commons-compress` to 1.27.1", []Update{{Name: "org.apache.commons:commons-compress", To: "1.27.1"}}},
		{"Bumps [lodash](https://github.com/lodash/lodash) to 4.17.21.", []Update{{Name: "lodash", To: "4.17.21"}}},
		{"Bumps golang to 1.24.3.", []Update{{Name: "golang", To: "1.24.3"}}},
		{"Bumps the go-deps group to 2 updates.", nil},
		// Dependabot quotes digests and commits, never versions.
		{"Bumps golang from `e84f2e8` to `4c0a181`.", []Update{{Name: "golang", FromDigest: "e84f2e8", ToDigest: "4c0a181"}}},
		{"Bumps [actions/checkout](https://github.com/actions/checkout) from `b4ffde6` to `0ad4b8f`.", []Update{{Name: "actions/checkout", FromDigest: "b4ffde6", ToDigest: "0ad4b8f"}}},
		// The block's version of a digest update is its tag, which stays.
		{"Bumps golang from `e84f2e8` to `4c0a181`.\n\n---\nupdated-dependencies:\n- dependency-name: golang\n  dependency-version: 1.24.3\n...\n",
			[]Update{{Name: "golang", From: "1.24.3", To: "1.24.3", FromDigest: "e84f2e8", ToDigest: "4c0a181"}}},
		// In a table every cell is quoted: hex with a letter is a digest.
		{"| Package | From | To |\n| --- | --- | --- |\n| [golang](https://x) | `e84f2e8` | `4c0a181` |", []Update{{Name: "golang", FromDigest: "e84f2e8", ToDigest: "4c0a181"}}},
		{"| Package | From | To |\n| --- | --- | --- |\n| [tzdata](https://x) | `2024010` | `2024020` |", []Update{{Name: "tzdata", From: "2024010", To: "2024020"}}},
	}
	for _, tt := range tests {
		got := ParseMessage(tt.line).Updates
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseMessage(%q) (-want +got):\n%s", tt.line, diff)
		}
	}
}

// The directory a group line states, in each of Dependabot's places for
// it; several for a group across directories; none when not stated.
func TestParseMessageDirectory(t *testing.T) {
	tests := []struct {
		msg  string
		dir  string
		dirs []string
	}{
		{"Bumps the eslint group in /first-package with 1 update: [eslint](https://github.com/eslint/eslint).", "/first-package", nil},
		{"Bumps the g group with 3 updates in the /first-package directory: [a](x), [b](y) and [c](z).", "/first-package", nil},
		{"Bumps the npm_and_yarn group with 3 updates in the / directory: [braces](x).", "/", nil},
		{"Bumps the g group with 1 update in the /a directory: x.\nBumps the g group with 2 updates in the /b directory: x and [y](z).\nBumps the g group with 1 update in the /a directory: x.", "", []string{"/a", "/b"}},
		{"Bumps the g group with 2 updates: [a](x) and [b](y).", "", nil},
		{"Bumps [a](x) from 1 to 2.", "", nil},
	}
	for _, tt := range tests {
		d := ParseMessage(tt.msg)
		if d.Directory != tt.dir || !cmp.Equal(d.Directories, tt.dirs) {
			t.Errorf("ParseMessage(%q): directory %q, directories %q; want %q, %q", tt.msg, d.Directory, d.Directories, tt.dir, tt.dirs)
		}
	}
	// Names without a link, as Dependabot writes those it has no address
	// for.
	var names []string
	for _, u := range ParseMessage(tests[3].msg).Updates {
		names = append(names, u.Name)
	}
	if want := []string{"x", "y"}; !cmp.Equal(names, want) {
		t.Errorf("names %q, want %q", names, want)
	}
}

// One name updated in two major lines is two updates; the block lists the
// name once per update, in the order of the body's lines.
func TestParseMessageSameName(t *testing.T) {
	tests := []struct {
		name, msg string
		want      []Update
	}{
		{"two major lines", "Updates `picomatch` from 2.3.1 to 2.3.2\nUpdates `picomatch` from 4.0.1 to 4.0.2\n\n---\nupdated-dependencies:\n- dependency-name: picomatch\n  dependency-type: direct:production\n- dependency-name: picomatch\n  dependency-type: indirect\n...\n",
			[]Update{{Name: "picomatch", From: "2.3.1", To: "2.3.2", Type: "direct:production"}, {Name: "picomatch", From: "4.0.1", To: "4.0.2", Type: "indirect"}}},
		{"listed once", "Updates `picomatch` from 2.3.1 to 2.3.2\nUpdates `picomatch` from 4.0.1 to 4.0.2\n\n---\nupdated-dependencies:\n- dependency-name: picomatch\n  dependency-type: indirect\n...\n",
			[]Update{{Name: "picomatch", From: "2.3.1", To: "2.3.2", Type: "indirect"}, {Name: "picomatch", From: "4.0.1", To: "4.0.2"}}},
		{"block versions pair by new version", "Updates `picomatch` from 2.3.1 to 2.3.2\nUpdates `picomatch` from 4.0.1 to 4.0.2\n\n---\nupdated-dependencies:\n- dependency-name: picomatch\n  dependency-version: 4.0.2\n- dependency-name: picomatch\n  dependency-version: 2.3.2\n...\n",
			[]Update{{Name: "picomatch", From: "4.0.1", To: "4.0.2"}, {Name: "picomatch", From: "2.3.1", To: "2.3.2"}}},
		// A group across directories repeats a line for each directory.
		{"repeated lines", "Updates `google.golang.org/protobuf` from 1.30.0 to 1.33.0\n\nUpdates `google.golang.org/protobuf` from 1.31.0 to 1.33.0\n\nUpdates `google.golang.org/protobuf` from 1.30.0 to 1.33.0\n",
			[]Update{{Name: "google.golang.org/protobuf", From: "1.30.0", To: "1.33.0"}, {Name: "google.golang.org/protobuf", From: "1.31.0", To: "1.33.0"}}},
		{"a link, then the versions", "Bumps the g group with 2 updates: [a](x) and [b](y).\nUpdates `a` from 1 to 2\nUpdates `a` from v3 to v4\nUpdates `b` from 1 to 2\nUpdates `A` from v1 to 2\n",
			[]Update{{Name: "a", From: "1", To: "2"}, {Name: "b", From: "1", To: "2"}, {Name: "a", From: "v3", To: "v4"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, ParseMessage(tt.msg).Updates); diff != "" {
				t.Errorf("updates (-want +got):\n%s", diff)
			}
		})
	}
}

// The versions of the commit's subject come before those of a title
// edited since; the title still fills what the commit does not say.
func TestParseSubject(t *testing.T) {
	msg := "Update boto3 requirement from <=1.42.76 to <=1.42.86 in /app\n\nUpdates the requirements on [boto3](https://github.com/boto/boto3) to permit the latest version.\n\n---\nupdated-dependencies:\n- dependency-name: boto3\n  dependency-type: direct:production\n...\n"
	got := Parse(Dependabot, "Update boto3 requirement from <=1.42.00 to <=1.42.99 in /app", msg, "")
	want := Declared{Bot: Dependabot, Directory: "/app", Updates: []Update{{Name: "boto3", From: "<=1.42.76", To: "<=1.42.86", Type: "direct:production"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse (-want +got):\n%s", diff)
	}
	got = Parse(Dependabot, "Update boto3 requirement from <=1.42.00 to <=1.42.99 in /app", msg[strings.Index(msg, "\n\n")+2:], "")
	want.Updates[0].From, want.Updates[0].To = "<=1.42.00", "<=1.42.99"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse without the subject (-want +got):\n%s", diff)
	}
	// Without a title, the subject states the directory.
	if got := Parse(Dependabot, "", msg, ""); got.Directory != "/app" {
		t.Errorf("directory %q, want /app from the subject", got.Directory)
	}
}
