package botpr

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

const renovateHeader = "| Package | Type | Update | Change |\n|---|---|---|---|\n"

// The rows of the tables Renovate and Dependabot list updates in.
func TestParseTable(t *testing.T) {
	tests := []struct {
		name, body string
		want       []Update
	}{
		{"digest, both arrows", renovateHeader +
			"| docker.io/rust | stage | digest | `a9cfb75` → `f49565f` |\n| golang | final | digest | `b54cbf5` -> `2d6c802` |\n",
			[]Update{{Name: "docker.io/rust", FromDigest: "a9cfb75", ToDigest: "f49565f", Type: "stage", UpdateType: "digest"},
				{Name: "golang", FromDigest: "b54cbf5", ToDigest: "2d6c802", Type: "final", UpdateType: "digest"}}},
		{"tag", renovateHeader + "| golang | stage | minor | `1.24` -> `1.25` |\n",
			[]Update{{Name: "golang", From: "1.24", To: "1.25", Type: "stage", UpdateType: "minor"}}},
		{"pin digest", renovateHeader + "| golang | stage | pinDigest | → `4c0a181` |\n",
			[]Update{{Name: "golang", ToDigest: "4c0a181", Type: "stage", UpdateType: "pinDigest"}}},
		{"tag and digest", renovateHeader + "| golang | stage | minor | `1.24@sha256:e84f2e8` → `1.25@sha256:4c0a181` |\n",
			[]Update{{Name: "golang", From: "1.24", To: "1.25", FromDigest: "sha256:e84f2e8", ToDigest: "sha256:4c0a181", Type: "stage", UpdateType: "minor"}}},
		{"links and the PyPI shape", "| Package | Change | Age | Adoption |\n|---|---|---|---|\n" +
			"| [requests](https://requests.readthedocs.io) ([source](https://x), [changelog](https://y)) | `==2.25.1` -> `==2.26.0` | [![age](https://a)](https://b) | x |\n",
			[]Update{{Name: "requests", From: "==2.25.1", To: "==2.26.0"}}},
		{"change as a link to the diff", "| Package | Change |\n| --- | --- |\n| [eslint](https://eslint.org) | [`8.57.0` -> `9.0.0`](https://renovatebot.com/diffs/npm/eslint/8.57.0/9.0.0) |\n",
			[]Update{{Name: "eslint", From: "8.57.0", To: "9.0.0"}}},
		{"code span and escaped pipe", "| Package | Change |\n| :-- | --: |\n| `@org/x` | `1\\|2` → `3` |\n",
			[]Update{{Name: "@org/x", From: "1|2", To: "3"}}},
		{"no arrow", "| Package | Change |\n|---|---|\n| x | `2.0` |\n", []Update{{Name: "x", To: "2.0"}}},
		{"dependabot", "| Package | From | To |\n| --- | --- | --- |\n| [Jinja2](https://x) | `3.1.3` | `3.1.4` |\n",
			[]Update{{Name: "Jinja2", From: "3.1.3", To: "3.1.4"}}},
		// A row broken by the wrapping of a squash commit is rejoined,
		// wherever the break fell; the next row stays its own.
		{"broken before the closing pipe", renovateHeader +
			"| gcr.io/distroless/cc-debian13 | final | digest | `8f960b7` → `e1fd250`\n|\n| golang | stage | digest | `b54cbf5` → `2d6c802` |\n",
			[]Update{{Name: "gcr.io/distroless/cc-debian13", FromDigest: "8f960b7", ToDigest: "e1fd250", Type: "final", UpdateType: "digest"},
				{Name: "golang", FromDigest: "b54cbf5", ToDigest: "2d6c802", Type: "stage", UpdateType: "digest"}}},
		{"broken inside a cell", renovateHeader + "| golang | stage | digest | `b54cbf5` →\n`2d6c802` |\n",
			[]Update{{Name: "golang", FromDigest: "b54cbf5", ToDigest: "2d6c802", Type: "stage", UpdateType: "digest"}}},
		{"broken before a pipe", renovateHeader + "| golang | stage |\ndigest | `b54cbf5` → `2d6c802` |\n",
			[]Update{{Name: "golang", FromDigest: "b54cbf5", ToDigest: "2d6c802", Type: "stage", UpdateType: "digest"}}},
		{"no closing pipe", renovateHeader + "| golang | stage | minor | `1.24` -> `1.25`\n| node | final | major | `20` -> `22`\n",
			[]Update{{Name: "golang", From: "1.24", To: "1.25", Type: "stage", UpdateType: "minor"},
				{Name: "node", From: "20", To: "22", Type: "final", UpdateType: "major"}}},
		// Release notes hold any text, tables too.
		{"in release notes", "<details>\n<summary>x</summary>\n\n" + renovateHeader + "| evil | stage | major | `1` → `2` |\n</details>\n", nil},
		{"no package column", "| Name | Change |\n|---|---|\n| x | `1` → `2` |\n", nil},
		{"no delimiter row", "| Package | Change |\n| x | `1` → `2` |\n", nil},
		{"name with spaces", "| Package | Change |\n|---|---|\n| [two words](x) | `1` → `2` |\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, ParseMessage(tt.body).Updates); diff != "" {
				t.Errorf("updates (-want +got):\n%s", diff)
			}
		})
	}
}

// Renovate's table names the updates of a title that names none, and
// settles whether a title's one name is a group.
func TestParseBody(t *testing.T) {
	body := "This PR contains the following updates:\n\n" + renovateHeader +
		"| golang | stage | digest | `b54cbf5` → `2d6c802` |\n| python | final | digest | `5b3879b` → `c845af9` |\n"
	tests := []struct {
		title string
		want  Declared
	}{
		{"Update all digests", Declared{Bot: Renovate, Updates: []Update{
			{Name: "golang", FromDigest: "b54cbf5", ToDigest: "2d6c802", Type: "stage", UpdateType: "digest"},
			{Name: "python", FromDigest: "5b3879b", ToDigest: "c845af9", Type: "final", UpdateType: "digest"}}}},
		{"chore(deps): update docker digests", Declared{Bot: Renovate, Updates: []Update{
			{Name: "golang", FromDigest: "b54cbf5", ToDigest: "2d6c802", Type: "stage", UpdateType: "digest"},
			{Name: "python", FromDigest: "5b3879b", ToDigest: "c845af9", Type: "final", UpdateType: "digest"}}}},
		{"Update base images", Declared{Bot: Renovate, Updates: []Update{
			{Name: "golang", FromDigest: "b54cbf5", ToDigest: "2d6c802", Type: "stage", UpdateType: "digest"},
			{Name: "python", FromDigest: "5b3879b", ToDigest: "c845af9", Type: "final", UpdateType: "digest"}}}},
	}
	for _, tt := range tests {
		got := Parse(Renovate, tt.title, "", body)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Parse(%q) (-want +got):\n%s", tt.title, diff)
		}
		if !got.Complete() {
			t.Errorf("Parse(%q) is not complete", tt.title)
		}
	}
	// Without the body the same titles name nothing.
	if d := Parse(Renovate, "Update all digests", "", ""); d.Complete() || !d.Unnamed {
		t.Errorf("title alone: %+v", d)
	}
}
