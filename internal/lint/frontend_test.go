package lint

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// tricky are Dockerfile shapes the front end must read exactly as
// BuildKit does.
var tricky = map[string]string{
	"crlf":         "FROM alpine:3.19\r\nRUN apk add \\\r\n    curl\r\n",
	"bom":          "\xef\xbb\xbfFROM alpine:3.19\nRUN apk add curl\n",
	"escape":       "# escape=`\nFROM alpine:3.19\nRUN apk add `\n    curl\n",
	"comments":     "FROM alpine:3.19\nRUN apk add \\\n  # the tools\n  curl \\\n\n  jq\n",
	"indented":     "FROM alpine:3.19\n\t  RUN   apk add curl\n",
	"flags":        "FROM alpine:3.19\nRUN --mount=type=cache,target=/var/cache/apk \\\n    --network=default \\\n    apk add curl\n",
	"heredocs":     "FROM alpine:3.19\nRUN <<A cat - <<-B > /x\nbody a\nA\n\tbody b\n\tB\nCOPY <<EOF /y\nz\nEOF\n",
	"exec":         "FROM alpine:3.19\nRUN [\"apk\", \"add\", \"curl\"]\n",
	"onbuild":      "FROM alpine:3.19\nONBUILD RUN apk add curl\n",
	"unknown":      "FROM alpine:3.19\nFROBNICATE x y\nRUN apk add curl\n",
	"quoted flag":  "FROM alpine:3.19\nRUN --mount=\"type=secret,id=a b\" apk add curl\n",
	"lone escape":  "FROM alpine:3.19\nRUN apk add \\\n\\\n curl\n",
	"unicode":      "FROM alpine:3.19\nLABEL description=\"café ☕\"\nRUN apk add curl # ☕\n",
	"empty flag":   "FROM alpine:3.19\nRUN -- apk add curl\n",
	"no trailing":  "FROM alpine:3.19\nRUN apk add curl",
	"global args":  "ARG A=1\nARG B=${A}2\nFROM alpine:3.${B}\n",
	"env quotes":   "FROM alpine:3.19\nENV A=\"x y\" B='z'\nRUN echo $A\n",
	"powershell":   "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN curl https://x | sh\n",
	"shell change": "FROM alpine:3.19\nSHELL [\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"]\nRUN apk add curl\n",
}

// TestInstructionTextMatchesBuildKit checks the rebuilt logical lines
// against BuildKit's own, and that every byte maps back to itself.
func TestInstructionTextMatchesBuildKit(t *testing.T) {
	files := map[string][]byte{}
	for name, src := range tricky {
		files[name] = []byte(src)
	}
	paths, _ := filepath.Glob("testdata/corpus/*.Dockerfile")
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = src
	}
	for name, src := range files {
		d, err := parse(name, src)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		checkTexts(t, name, d)
	}
}

func checkTexts(t *testing.T, name string, d *dockerfile) {
	t.Helper()
	for _, in := range d.all {
		if in.text.s != in.node.Original {
			t.Errorf("%s:%d: rebuilt %q, BuildKit read %q", name, in.line, in.text.s, in.node.Original)
		}
		checkOffsets(t, name, d.src.data, in.text)
	}
}

func checkOffsets(t *testing.T, name string, src []byte, x text) {
	t.Helper()
	if len(x.off) != len(x.s)+1 {
		t.Fatalf("%s: %d offsets for %d bytes", name, len(x.off), len(x.s))
	}
	for i := 0; i < len(x.s); i++ {
		if o := x.off[i]; o < 0 || o >= len(src) || src[o] != x.s[i] {
			t.Fatalf("%s: byte %d of %q maps to offset %d", name, i, x.s, o)
		}
	}
}

// TestFrontEndPositions pins where findings land in awkward files.
func TestFrontEndPositions(t *testing.T) {
	cases := []struct {
		name, rule string
		line, col  int
	}{
		{"crlf", RuleApkUnpinned, 3, 5},
		{"bom", RuleApkUnpinned, 2, 13},
		{"escape", RuleApkUnpinned, 4, 5},
		{"comments", RuleApkUnpinned, 4, 3},
		{"indented", RuleApkUnpinned, 2, 18},
		{"flags", RuleApkUnpinned, 4, 13},
		{"exec", RuleApkUnpinned, 2, 5},
		{"quoted flag", RuleApkUnpinned, 2, 42},
		{"lone escape", RuleApkUnpinned, 4, 2},
		{"unicode", RuleApkUnpinned, 3, 13},
		{"empty flag", RuleApkUnpinned, 2, 16},
		{"no trailing", RuleApkUnpinned, 2, 13},
		{"global args", RuleUnpinnedBaseDigest, 3, 6},
		{"shell change", RuleApkUnpinned, 3, 13},
	}
	for _, tc := range cases {
		fs, err := Lint(tc.name, []byte(tricky[tc.name]), Options{})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		found := false
		for _, f := range fs {
			if f.Rule == tc.rule {
				found = true
				if f.Line != tc.line || f.Column != tc.col {
					t.Errorf("%s: %s at %d:%d, want %d:%d", tc.name, tc.rule, f.Line, f.Column, tc.line, tc.col)
				}
			}
		}
		if !found {
			t.Errorf("%s: no %s finding in\n%s", tc.name, tc.rule, dump(fs))
		}
	}
}

// TestFrontEndSilence lists shapes that must produce no shell findings.
func TestFrontEndSilence(t *testing.T) {
	for _, name := range []string{"heredocs", "onbuild", "powershell", "env quotes"} {
		fs, err := Lint(name, []byte(tricky[name]), Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, f := range fs {
			if f.Rule != RuleUnpinnedBaseDigest {
				t.Errorf("%s: unexpected %s at line %d: %s", name, f.Rule, f.Line, f.Message)
			}
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct{ src, want string }{
		{"", "ci/Dockerfile: parse Dockerfile: file with no instructions"},
		{"# just a comment\n", "ci/Dockerfile:1: parse Dockerfile: file with no instructions"},
		{"FROM alpine\nRUN <<EOF\necho\n", "ci/Dockerfile:2: parse Dockerfile: unterminated heredoc"},
		{"# escape=x\nFROM alpine\n", "ci/Dockerfile:1: parse Dockerfile: invalid escape token"},
		{"# syntax=docker/dockerfile:1\n# escape=x\nFROM alpine\n", "ci/Dockerfile:2: parse Dockerfile: invalid escape token"},
		{"FROM alpine\nRUN [\"echo\", 1]\n", "ci/Dockerfile:2: parse Dockerfile:"},
	}
	for _, tc := range cases {
		_, err := Lint("ci/Dockerfile", []byte(tc.src), Options{})
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("Lint(%q) error = %v, want prefix %q", tc.src, err, tc.want)
		}
	}
	big := bytes.Repeat([]byte("# x\n"), MaxSize/4+1)
	if _, err := Lint("big", big, Options{}); err == nil {
		t.Error("Lint of an oversized file succeeded")
	}
}

// TestHeredocBodiesMatch checks that heredoc bodies found in the file are
// exactly the ones BuildKit read.
func TestHeredocBodiesMatch(t *testing.T) {
	src := []byte(tricky["heredocs"])
	res, err := parser.Parse(bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	d := buildModel(newSrcFile("h", src), res)
	for _, in := range d.all {
		bodies, ok := d.heredocBodies(in)
		if !ok || len(bodies) != len(in.node.Heredocs) {
			t.Fatalf("line %d: bodies %v ok=%v", in.line, bodies, ok)
		}
		for _, b := range bodies {
			checkOffsets(t, "heredocs", src, b.body)
		}
	}
}
