package botpr

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/imagedrift/imagedrift/internal/fixtures"
	"github.com/imagedrift/imagedrift/internal/packages"
)

// recordedBots is the folder of the bots' recorded texts in the shared
// fixtures; tests skip where it is absent.
func recordedBots(t *testing.T) string {
	return fixtures.Shared(t, "fixtures", "github", "bots")
}

// recorded is one recorded text and the title it came with.
type recorded struct {
	bot   Bot
	title string
	text  string
	body  bool // pull_request.body; otherwise a commit message
}

// squashNumberRe is the " (#N)" GitHub appends to a squash merge's subject.
var squashNumberRe = regexp.MustCompile(` \(#\d+\)$`)

// readRecorded reads a recorded text with its title: the one index.json
// gives (the PR's title, or the one fetch-metadata's test passed), or for
// a squash-merge commit its subject without " (#N)", which was the PR's
// title; "" where none is known.
func readRecorded(t *testing.T, dir, file string) recorded {
	t.Helper()
	bot := Bot(filepath.Base(filepath.Dir(filepath.Join(dir, file))))
	b, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		t.Fatal(err)
	}
	r := recorded{bot: bot, text: string(b), body: strings.Contains(file, ".pr-body.")}
	if strings.Contains(file, ".squash-commit-message.") {
		subject, _, _ := strings.Cut(r.text, "\n")
		r.title = squashNumberRe.ReplaceAllString(subject, "")
		return r
	}
	for _, e := range readIndex(t, filepath.Dir(filepath.Join(dir, file))) {
		if e.File != filepath.Base(file) {
			continue
		}
		r.title = e.PRTitle
		for _, u := range e.UsedBy {
			if u.PRTitle != "" {
				r.title = u.PRTitle
			}
		}
	}
	return r
}

type indexEntry struct {
	File    string `json:"file"`
	PRTitle string `json:"pr_title"`
	UsedBy  []struct {
		PRTitle string `json:"pr_title_in_test"`
	} `json:"used_by_tests"`
}

func readIndex(t *testing.T, dir string) []indexEntry {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	var idx []indexEntry
	if err := json.Unmarshal(b, &idx); err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	return idx
}

func (r recorded) parse() Declared {
	if r.body {
		return Parse(r.bot, r.title, "", r.text)
	}
	return Parse(r.bot, r.title, r.text, "")
}

// TestParseRecorded parses every recorded text of Dependabot and Renovate
// as the action reads them: a commit message as the head commit's
// message, a PR body as pull_request.body, each with its title.
func TestParseRecorded(t *testing.T) {
	dir := recordedBots(t)
	const (
		prod, dev, ind = "direct:production", "direct:development", "indirect"
		minor, patch   = "version-update:semver-minor", "version-update:semver-patch"
		major          = "version-update:semver-major"
	)
	coffee := Update{Name: "coffee-rails", From: "4.0.1", To: "4.2.2"}
	with := func(u Update, typ, updateType string) Update {
		u.Type, u.UpdateType = typ, updateType
		return u
	}
	inGroup := func(g string, us ...Update) []Update {
		for i := range us {
			us[i].Group = g
		}
		return us
	}
	D, R := Dependabot, Renovate
	tests := []struct {
		file string
		want Declared
	}{
		// fetch-metadata's own cases. Where it finds no block it declares
		// nothing; the body's "Bumps" line is read here.
		{"dependabot/fetch-metadata.01.no-yaml-fragment.commit-message.txt", Declared{Bot: D, Updates: []Update{coffee}}},
		{"dependabot/fetch-metadata.02.nuget-coffee-rails-single-dep.commit-message.txt", Declared{Bot: D, Updates: []Update{with(coffee, prod, "")}}},
		{"dependabot/fetch-metadata.03.nuget-coffee-rails-single-dep.pr-body.txt", Declared{Bot: D, Updates: []Update{coffee}}},
		{"dependabot/fetch-metadata.04.nuget-multi-dep-one-fragment.commit-message.txt", Declared{Bot: D, Updates: []Update{
			with(coffee, prod, minor), {Name: "coffeescript", Type: ind, UpdateType: patch}}}},
		{"dependabot/fetch-metadata.05.nuget-multi-dep-one-fragment.pr-body.txt", Declared{Bot: D, Updates: []Update{coffee}}},
		{"dependabot/fetch-metadata.06.leading-v-versions.commit-message.txt", Declared{Bot: D, Updates: []Update{
			{Name: "coffee-rails", From: "v4.0.1", To: "v4.2.2", Type: prod}}}},
		// A group named docker of Go modules, not a docker update.
		{"dependabot/fetch-metadata.07.grouped-docker-group-3-gomod-updates.commit-message.txt", Declared{Bot: D, Group: "docker", Updates: inGroup("docker",
			Update{Name: "github.com/docker/cli", From: "24.0.1+incompatible", To: "24.0.2+incompatible", Type: prod, UpdateType: patch},
			Update{Name: "github.com/docker/docker", From: "24.0.1+incompatible", To: "24.0.2+incompatible", Type: prod, UpdateType: patch},
			Update{Name: "github.com/moby/moby", From: "24.0.1+incompatible", To: "24.0.2+incompatible", Type: prod, UpdateType: patch})}},
		// The first block only.
		{"dependabot/fetch-metadata.08.two-yaml-documents.commit-message.txt", Declared{Bot: D, Updates: []Update{
			{Name: "coffee-rails", Type: prod, UpdateType: minor}}}},
		{"dependabot/fetch-metadata.09.dependency-name-with-slash.commit-message.txt", Declared{Bot: D, Updates: []Update{
			{Name: "rails/coffee", Type: prod, UpdateType: minor}}}},
		{"dependabot/fetch-metadata.10.hyphen-branch-fsevents.commit-message.txt", Declared{Bot: D, Updates: []Update{{Name: "fsevents", Type: ind}}}},
		{"dependabot/fetch-metadata.11.hyphen-branch-composer-composer.commit-message.txt", Declared{Bot: D, Updates: []Update{{Name: "composer/composer", Type: ind}}}},
		{"dependabot/fetch-metadata.12.hyphen-branch-two-deps-twilio.commit-message.txt", Declared{Bot: D, Updates: []Update{
			{Name: "twilio-video", From: "2.7.0", To: "2.28.1", Type: prod, UpdateType: minor},
			{Name: "@types/twilio-video", From: "2.7.0", To: "2.11.0", Type: dev, UpdateType: minor}}}},
		// The directory of "group in /dir with" and "in the /dir directory".
		{"dependabot/fetch-metadata.13.group-eslint-in-subdir-1-update.commit-message.txt", Declared{Bot: D, Group: "eslint", Directory: "/first-package",
			Updates: inGroup("eslint", Update{Name: "eslint", From: "9.12.0", To: "9.13.0", Type: dev, UpdateType: minor})}},
		{"dependabot/fetch-metadata.14.group-3-updates-in-subdir.commit-message.txt", Declared{Bot: D, Group: "grouped-dependencies", Directory: "/first-package",
			Updates: inGroup("grouped-dependencies",
				Update{Name: "eslint", From: "9.12.0", To: "9.13.0", Type: dev, UpdateType: minor},
				Update{Name: "rimraf", From: "5.0.10", To: "6.0.1", Type: dev, UpdateType: major},
				Update{Name: "vitest", From: "1.6.0", To: "2.1.3", Type: dev, UpdateType: major})}},
		// "Updates `x` to 1.27.1": the old version unknown.
		{"dependabot/fetch-metadata.15.maven-group-metadata-links.commit-message.txt", Declared{Bot: D, Group: "non-breaking", Directory: "/log4j-parent", Updates: []Update{
			{Name: "commons-codec:commons-codec", From: "1.17.0", To: "1.18.0"},
			{Name: "org.apache.commons:commons-compress", To: "1.27.1"}}}},
		{"dependabot/fetch-metadata.16.maven-group-dependency-version-yaml.commit-message.txt", Declared{Bot: D, Group: "non-breaking", Directory: "/log4j-parent", Updates: []Update{
			{Name: "commons-codec:commons-codec", To: "1.18.0"},
			{Name: "org.apache.commons:commons-compress", To: "1.27.1"}}}},
		// The block's version is the one resolved; the subject's
		// requirement range "<=1.42.86" is not it, so its "from" is not
		// paired with it.
		{"dependabot/fetch-metadata.17.pip-requirement-subject-with-dependency-version.commit-message.txt", Declared{Bot: D, Directory: "/app", Updates: []Update{
			{Name: "boto3", To: "1.42.86", Type: prod}}}},
		{"dependabot/fetch-metadata.18.composer-requirement-no-versions.commit-message.txt", Declared{Bot: D, Updates: []Update{
			{Name: "rector/rector", From: "^1.2", To: "^2.0", Type: dev}}}},
		{"dependabot/fetch-metadata.19.terraform-chore-deps-prefix.commit-message.txt", Declared{Bot: D, Directory: "/terraform/test/region/us-west-2", Updates: []Update{
			{Name: "hashicorp/aws", From: "~> 5.90", To: "~> 5.92", Type: prod}}}},
		{"dependabot/fetch-metadata.20.pip-faker-no-versions.commit-message.txt", Declared{Bot: D, Directory: "/asset_api", Updates: []Update{
			{Name: "faker", From: "~=35.0", To: "~=35.2", Type: prod}}}},
		{"dependabot/fetch-metadata.21.pip-boto3-no-versions.commit-message.txt", Declared{Bot: D, Directory: "/services/search", Updates: []Update{
			{Name: "boto3", From: "~=1.42.73", To: "~=1.42.88", Type: prod}}}},
		// The commit's subject before the title the test passed.
		{"dependabot/fetch-metadata.22.pip-boto3-requirement-subject.commit-message.txt", Declared{Bot: D, Directory: "/app", Updates: []Update{
			{Name: "boto3", From: "<=1.42.76", To: "<=1.42.86", Type: prod}}}},
		// One name in two major lines: two updates, each with its type.
		{"dependabot/fetch-metadata.23.duplicate-dependency-names-production-group.commit-message.txt", Declared{Bot: D, Group: "production", Updates: []Update{
			{Name: "picomatch", From: "2.3.1", To: "2.3.2", Type: prod},
			{Name: "picomatch", From: "4.0.1", To: "4.0.2", Type: ind}}}},
		{"dependabot/fetch-metadata.24.main-nuget-coffee-rails.commit-message.txt", Declared{Bot: D, Updates: []Update{with(coffee, prod, minor)}}},
		{"dependabot/fetch-metadata.25.main-bundler-library.commit-message.txt", Declared{Bot: D, Updates: []Update{
			{Name: "rubocop", From: "~> 1.30.1", To: "~> 1.31.0", Type: dev}}}},
		// "in api/main" is not a directory Dependabot writes (no leading
		// slash): unknown.
		{"dependabot/fetch-metadata.26.main-multi-dep-summary.commit-message.txt", Declared{Bot: D, Updates: []Update{
			with(coffee, prod, minor), {Name: "coffeescript", Type: ind, UpdateType: major}}}},
		{"dependabot/fetch-metadata.27.main-getbody-mock.pr-body.txt", Declared{Bot: D, Updates: []Update{{Name: "fake/package", From: "0.0.0", To: "0.0.1"}}}},

		// Dependabot in real repositories.
		{"dependabot/kong-kic.docker-golang-1.25.1-to-1.25.3.squash-commit-message.txt", Declared{Bot: D, Updates: []Update{
			{Name: "golang", From: "1.25.1", To: "1.25.3", Type: prod, UpdateType: patch}}}},
		{"dependabot/kong-kic.docker-golang-1.23.5-to-1.23.6.squash-commit-message.txt", Declared{Bot: D, Updates: []Update{
			{Name: "golang", From: "1.23.5", To: "1.23.6", Type: prod, UpdateType: patch}}}},
		// A digest update: the digests change, the tag 1.24.3 stays.
		{"dependabot/kong-kic.docker-golang-digest-e84f2e8-to-4c0a181.squash-commit-message.txt", Declared{Bot: D, Updates: []Update{
			{Name: "golang", From: "1.24.3", To: "1.24.3", FromDigest: "e84f2e8", ToDigest: "4c0a181", Type: prod, UpdateType: patch}}}},
		{"dependabot/hyperledger.iroha-4656.docker-alpine-3.19-to-3.20.pr-body.txt", Declared{Bot: D, Updates: []Update{
			{Name: "alpine", From: "3.19", To: "3.20"}}}},
		{"dependabot/hyperledger.aries-cloudagent-python-2972.docker-postgres-14-to-16-in-subdir.pr-body.txt", Declared{Bot: D, Directory: "/demo/docker-test/db", Updates: []Update{
			{Name: "postgres", From: "14", To: "16"}}}},
		{"dependabot/hyperledger.aries-acapy-plugins-533.docker-python-3.9-bullseye-to-3.12-bullseye.pr-body.txt", Declared{Bot: D, Directory: "/plugin_globals/docker", Updates: []Update{
			{Name: "python", From: "3.9-bullseye", To: "3.12-bullseye"}}}},
		{"dependabot/hyperledger.indy-node-1863.docker-gitpod-workspace-base-date-tags.pr-body.txt", Declared{Bot: D, Updates: []Update{
			{Name: "gitpod/workspace-base", From: "2022-12-09-04-00-52", To: "2024-05-13-09-12-40"}}}},
		// Nine directories; protobuf from two versions, one update each.
		{"dependabot/hyperledger.cacti-3263.grouped-go_modules-across-9-directories.pr-body.txt", Declared{Bot: D, Group: "go_modules", Count: 2,
			Directories: []string{"/weaver/common/protos-go", "/weaver/samples/fabric/go-cli", "/weaver/samples/fabric/satpsimpleasset",
				"/weaver/samples/fabric/simpleasset", "/weaver/samples/fabric/simpleassetandinterop", "/weaver/samples/fabric/simpleassettransfer",
				"/weaver/samples/fabric/simplestate", "/weaver/samples/fabric/simplestatewithacl", "/weaver/sdks/fabric/go-sdk"},
			Updates: []Update{
				{Name: "google.golang.org/protobuf", From: "1.30.0", To: "1.33.0"},
				{Name: "github.com/prometheus/client_golang", From: "1.3.0", To: "1.11.1"},
				{Name: "google.golang.org/protobuf", From: "1.31.0", To: "1.33.0"}},
			// The release notes cite the advisories the updates fix:
			// a link's path and its code text, and a line of prose.
			Advisories: []string{"GHSA-cg3q-j54f-5p7p", "CVE-2022-21698", "CVE-2022-32149"}}},
		// nokogiri 1.16.5 is the security update for GHSA-r95h-9x8f-r3f7.
		{"dependabot/hyperledger.fabric-protos-223.grouped-bundler-across-1-directory.pr-body.txt", Declared{Bot: D, Group: "bundler", Directory: "/docs", Count: 2, Updates: []Update{
			{Name: "activesupport", From: "6.0.4.7", To: "6.0.6.1"},
			{Name: "nokogiri", From: "1.16.2", To: "1.16.5"}},
			Advisories: []string{"CVE-2023-22794", "CVE-2024-34459", "GHSA-r95h-9x8f-r3f7"}}},

		// Renovate: the table names what the title leaves out.
		{"renovate/googleapis.python-docs-samples-1.requests-2.26.0.pr-body.md", Declared{Bot: R, Updates: []Update{
			{Name: "requests", From: "==2.25.1", To: "==2.26.0"}}}},
		// The gcr.io row, broken in two by the commit's wrapping, is
		// rejoined.
		{"renovate/otel-arrow.docker-digest-updates-multi-image.squash-commit-message.md", Declared{Bot: R, Updates: []Update{
			{Name: "docker.io/rust", FromDigest: "a9cfb75", ToDigest: "f49565f", Type: "stage", UpdateType: "digest"},
			{Name: "gcr.io/distroless/cc-debian13", FromDigest: "8f960b7", ToDigest: "e1fd250", Type: "final", UpdateType: "digest"},
			{Name: "golang", FromDigest: "b54cbf5", ToDigest: "2d6c802", Type: "stage", UpdateType: "digest"},
			{Name: "python", FromDigest: "5b3879b", ToDigest: "c845af9", Type: "final", UpdateType: "digest"}}}},
		{"renovate/otel-arrow.docker-golang-tag-1.25-to-1.26.squash-commit-message.md", Declared{Bot: R, Updates: []Update{
			{Name: "golang", From: "1.25", To: "1.26", Type: "stage", UpdateType: "minor"}}}},
		{"renovate/otel-arrow.docker-golang-tag-1.24-to-1.25-ascii-arrow.squash-commit-message.md", Declared{Bot: R, Updates: []Update{
			{Name: "golang", From: "1.24", To: "1.25", Type: "stage", UpdateType: "minor"}}}},
	}
	var covered []string
	for _, tt := range tests {
		covered = append(covered, tt.file)
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			got := readRecorded(t, dir, tt.file).parse()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
			if !got.Complete() {
				t.Errorf("not complete: every recorded text names its updates")
			}
		})
	}
	// Every recorded text has its case.
	for _, bot := range []string{"dependabot", "renovate"} {
		files, err := filepath.Glob(filepath.Join(dir, bot, "*.*.*"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if rel := bot + "/" + filepath.Base(f); !slices.Contains(covered, rel) {
				t.Errorf("%s has no case", rel)
			}
		}
	}
}

// The recorded digest update as the section shows it, and the two
// picomatch updates matched each with its change, in whatever order the
// image lists them.
func TestCompareRecorded(t *testing.T) {
	dir := recordedBots(t)
	d := readRecorded(t, dir, "dependabot/kong-kic.docker-golang-digest-e84f2e8-to-4c0a181.squash-commit-message.txt").parse()
	c := Compare(d, nil, []string{"golang:1.24.3@sha256:4c0a181"})
	if body := c.Section().Body; !strings.Contains(body, "| `golang` (base image) | digest `e84f2e8` → `4c0a181`, tag `1.24.3` · patch |") {
		t.Errorf("section:\n%s", body)
	}

	d = readRecorded(t, dir, "dependabot/fetch-metadata.23.duplicate-dependency-names-production-group.commit-message.txt").parse()
	v2 := Change{Ecosystem: "npm", Name: "picomatch", From: "2.3.1", To: "2.3.2", Bump: packages.BumpPatch}
	v4 := Change{Ecosystem: "npm", Name: "picomatch", From: "4.0.1", To: "4.0.2", Bump: packages.BumpPatch}
	for _, changes := range [][]Change{{v2, v4}, {v4, v2}} {
		c := Compare(d, changes, nil)
		if len(c.Matches) != 2 || !cmp.Equal(c.Matches[0].Changes, []Change{v2}) || !cmp.Equal(c.Matches[1].Changes, []Change{v4}) {
			t.Errorf("matches %+v", c.Matches)
		}
	}

	// Renovate's digest PR: each image of the table is a base image of
	// the Dockerfile, so the distribution packages are accounted for.
	d = readRecorded(t, dir, "renovate/otel-arrow.docker-digest-updates-multi-image.squash-commit-message.md").parse()
	c = Compare(d, []Change{{Ecosystem: "dpkg", Name: "libc6", From: "2.41-11", To: "2.41-12", Bump: packages.BumpRevision}},
		[]string{"docker.io/rust:1.89@sha256:a9cfb75", "gcr.io/distroless/cc-debian13@sha256:8f960b7"})
	if !c.Checked || len(c.Brought) != 1 || len(c.Undeclared) != 0 {
		t.Errorf("checked %v, os changes %d, undeclared %v", c.Checked, len(c.Brought), c.Undeclared)
	}
}

// Variants of Renovate's recorded digest PR, each derived here from the
// squash commit: its body as pull_request.body (subject and trailers cut
// off), the broken gcr.io row mended by hand, and the row left without its
// closing pipe. Each declares the same four digest updates.
func TestParseRecordedVariants(t *testing.T) {
	dir := recordedBots(t)
	r := readRecorded(t, dir, "renovate/otel-arrow.docker-digest-updates-multi-image.squash-commit-message.md")
	want := r.parse()
	if len(want.Updates) != 4 {
		t.Fatalf("%d updates", len(want.Updates))
	}
	const broken = "`8f960b7` → `e1fd250`\n|\n"
	if !strings.Contains(r.text, broken) {
		t.Fatalf("the recorded text has no broken row %q", broken)
	}
	_, body, _ := strings.Cut(r.text, "\n\n")
	body, _, _ = strings.Cut(body, "\nCo-authored-by:")
	mended := strings.Replace(r.text, broken, "`8f960b7` → `e1fd250` |\n", 1)
	unclosed := strings.Replace(r.text, broken, "`8f960b7` → `e1fd250`\n", 1)
	for name, got := range map[string]Declared{
		"as the body":    Parse(Renovate, r.title, "", body),
		"row mended":     Parse(Renovate, r.title, mended, ""),
		"row not closed": Parse(Renovate, r.title, unclosed, ""),
	} {
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
	// The title alone names nothing.
	if d := ParseTitle(r.title); !d.Unnamed || len(d.Updates) > 0 {
		t.Errorf("title %q: %+v", r.title, d)
	}
}
