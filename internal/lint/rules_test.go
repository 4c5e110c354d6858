package lint

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// ruleCase lints src and expects rule findings on exactly the lines in
// want (nil: none).
type ruleCase struct {
	name string
	rule string
	src  string
	opts Options
	want []int
}

func runRuleCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			fs, err := Lint("Dockerfile", []byte(tc.src), tc.opts)
			if err != nil {
				t.Fatalf("Lint: %v", err)
			}
			var got []int
			for _, f := range fs {
				if f.Rule == tc.rule {
					got = append(got, f.Line)
					if f.Message == "" || f.Column < 1 {
						t.Errorf("finding without message or column: %+v", f)
					}
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s lines = %v, want %v\nall findings:\n%s", tc.rule, got, tc.want, dump(fs))
			}
		})
	}
}

func dump(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%s %d:%d %s\n", f.Rule, f.Line, f.Column, f.Message)
	}
	return b.String()
}

const pinnedFrom = "FROM debian:12.5@sha256:e97ee92bf1e11a2de654e9f3da827d8dce32b54e0490ac83bfc65c8706568116\n"

func TestBaseImageRules(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"tag without digest", RuleUnpinnedBaseDigest, "FROM node:22-alpine\n", Options{}, []int{1}},
		{"digest with tag", RuleUnpinnedBaseDigest, "FROM node:22@sha256:" + strings.Repeat("a", 64) + "\n", Options{}, nil},
		{"digest only", RuleUnpinnedBaseDigest, "FROM node@sha256:" + strings.Repeat("a", 64) + "\n", Options{}, nil},
		{"registry with port", RuleUnpinnedBaseDigest, "FROM localhost:5000/app:1.2\n", Options{}, []int{1}},
		{"stage reference", RuleUnpinnedBaseDigest, pinnedFrom[:len(pinnedFrom)-1] + " AS build\nFROM build\nFROM BUILD\n", Options{}, nil},
		{"not a stage yet", RuleUnpinnedBaseDigest, "FROM app\n" + pinnedFrom[:len(pinnedFrom)-1] + " AS app\n", Options{}, []int{1}},
		{"named stage, other case", RuleUnpinnedBaseDigest, pinnedFrom[:len(pinnedFrom)-1] + " AS Builder\nFROM builder\n", Options{}, nil},
		{"scratch", RuleUnpinnedBaseDigest, "FROM scratch\nCOPY app /\n", Options{}, nil},
		{"platform flag", RuleUnpinnedBaseDigest, "FROM --platform=$BUILDPLATFORM golang:1.22 AS b\n", Options{}, []int{1}},
		{"from ARG default", RuleUnpinnedBaseDigest, "ARG IMG=python:3.12\nFROM ${IMG}\n", Options{}, []int{2}},
		{"from pinned ARG default", RuleUnpinnedBaseDigest, "ARG IMG=python:3.12@sha256:" + strings.Repeat("b", 64) + "\nFROM $IMG\n", Options{}, nil},
		{"suppressed", RuleUnpinnedBaseDigest, "# vendor image, pinned by the mirror\n# imagedrift:ignore unpinned-base-digest\nFROM mirror.example.com/node:22\n", Options{}, nil},
		{"disabled", RuleUnpinnedBaseDigest, "FROM node:22\n", Options{Disabled: map[string]bool{RuleUnpinnedBaseDigest: true}}, nil},

		{"no tag", RuleLatestTag, "FROM ubuntu\n", Options{}, []int{1}},
		{"latest", RuleLatestTag, "FROM ubuntu:latest\n", Options{}, []int{1}},
		{"registry port no tag", RuleLatestTag, "FROM localhost:5000/app\n", Options{}, []int{1}},
		{"version tag", RuleLatestTag, "FROM ubuntu:24.04\n", Options{}, nil},
		{"latest pinned by digest", RuleLatestTag, "FROM ubuntu:latest@sha256:" + strings.Repeat("c", 64) + "\n", Options{}, nil},
		{"ARG default latest", RuleLatestTag, "ARG TAG=latest\nFROM nginx:${TAG}\n", Options{}, []int{2}},
		{"suppressed all", RuleLatestTag, "# imagedrift:ignore all\nFROM ubuntu\n", Options{}, nil},

		{"ARG without default", RuleFromArgNoDefault, "ARG BASE\nFROM ${BASE}\n", Options{}, []int{2}},
		{"undeclared", RuleFromArgNoDefault, "FROM ${BASE:-alpine}\n", Options{}, []int{1}},
		{"ARG with default", RuleFromArgNoDefault, "ARG BASE=alpine:3.19\nFROM ${BASE}\n", Options{}, nil},
		{"platform args are automatic", RuleFromArgNoDefault, "FROM --platform=$BUILDPLATFORM tonistiigi/xx:1.4 AS xx\nFROM alpine:3.19-${TARGETARCH}\n", Options{}, nil},
		{"suppressed", RuleFromArgNoDefault, "ARG BASE\n# imagedrift:ignore from-arg-no-default -- CI always passes it\nFROM ${BASE}\n", Options{}, nil},
	})
}

func TestTargetRules(t *testing.T) {
	src := pinnedFrom[:len(pinnedFrom)-1] + " AS build\n" + pinnedFrom[:len(pinnedFrom)-1] + " AS dev\n" + pinnedFrom[:len(pinnedFrom)-1] + " AS prod\n"
	runRuleCases(t, []ruleCase{
		{"differs", RuleTargetMismatch, src, Options{Target: "dev", DeployTarget: "prod"}, []int{2}},
		{"same, other case", RuleTargetMismatch, src, Options{Target: "PROD", DeployTarget: "prod"}, nil},
		{"default target is the last stage", RuleTargetMismatch, src, Options{DeployTarget: "prod"}, nil},
		{"default target is not the deployed one", RuleTargetMismatch, src, Options{DeployTarget: "dev"}, []int{3}},
		{"no deploy target", RuleTargetMismatch, src, Options{Target: "dev"}, nil},
		{"suppressed", RuleTargetMismatch, "# imagedrift:ignore target-mismatch\n" + src, Options{Target: "build", DeployTarget: "prod"}, nil},

		{"unknown target", RuleUnknownTarget, src, Options{Target: "release"}, []int{1}},
		{"unknown deploy target", RuleUnknownTarget, src, Options{Target: "prod", DeployTarget: "production"}, []int{1}},
		{"known", RuleUnknownTarget, src, Options{Target: "build", DeployTarget: "build"}, nil},
	})
}

func TestArgNotRecorded(t *testing.T) {
	head := pinnedFrom[:len(pinnedFrom)-1]
	runRuleCases(t, []ruleCase{
		{"used in RUN", RuleArgNotRecorded, head + "\nARG VERSION=1.0\nRUN echo $VERSION > /v\n", Options{}, []int{2}},
		{"used in COPY", RuleArgNotRecorded, head + "\nARG SRC=dist\nCOPY ${SRC}/ /app/\n", Options{}, []int{2}},
		{"recorded in LABEL", RuleArgNotRecorded, head + "\nARG VERSION=1.0\nLABEL org.opencontainers.image.version=$VERSION\nRUN echo $VERSION > /v\n", Options{}, nil},
		{"recorded in ENV", RuleArgNotRecorded, head + "\nARG VERSION=1.0\nENV APP_VERSION=${VERSION}\nRUN echo $VERSION\n", Options{}, nil},
		{"used in a FROM tag", RuleArgNotRecorded, "ARG NODE=22\nFROM node:${NODE}@sha256:" + strings.Repeat("d", 64) + "\nARG NODE\nRUN echo $NODE\n", Options{}, nil},
		{"declared, unused", RuleArgNotRecorded, head + "\nARG UNUSED=1\nRUN true\n", Options{}, nil},
		{"only in CMD", RuleArgNotRecorded, head + "\nARG PORT=8080\nCMD serve --port $PORT\n", Options{}, nil},
		{"label in a stage not shipped", RuleArgNotRecorded, head + " AS b\nARG V=1\nLABEL v=$V\nRUN echo $V\n" + head + "\nARG V=1\nRUN echo $V\n", Options{}, []int{6}},
		{"unreachable stage", RuleArgNotRecorded, head + " AS tools\nARG V=1\nRUN echo $V\n" + head + " AS prod\nRUN true\n", Options{}, nil},
		{"stage copied from", RuleArgNotRecorded, head + " AS b\nARG V=1\nRUN echo $V > /v\n" + head + "\nCOPY --from=b /v /v\n", Options{}, []int{2}},
		{"secret", RuleArgNotRecorded, head + "\nARG NPM_TOKEN\nRUN echo $NPM_TOKEN > .npmrc\n", Options{}, nil},
		{"proxy", RuleArgNotRecorded, head + "\nARG HTTP_PROXY\nRUN curl -x $HTTP_PROXY example.com\n", Options{}, nil},
		{"suppressed", RuleArgNotRecorded, head + "\n# imagedrift:ignore arg-not-recorded\nARG VERSION=1.0\nRUN echo $VERSION > /v\n", Options{}, nil},
	})
}

func TestArgRedeclared(t *testing.T) {
	head := pinnedFrom[:len(pinnedFrom)-1]
	runRuleCases(t, []ruleCase{
		{"redeclared before use", RuleArgNotRecorded, head + "\nARG V=1\nARG V=2\nRUN echo $V\n", Options{}, []int{3}},
		{"recorded through another ARG", RuleArgNotRecorded, head + "\nARG A=1\nARG B=$A\nLABEL b=$B\n", Options{}, nil},
		{"used through another ARG", RuleArgNotRecorded, head + "\nARG A=1\nARG B=x$A\nRUN echo $B\n", Options{}, []int{2, 3}},
		{"several on one line", RuleArgNotRecorded, head + "\nARG X_Y=1 X=2\nRUN echo $X\n", Options{}, []int{2}},
	})
	fs, _ := Lint("Dockerfile", []byte(head+"\nARG X_Y=1 X=2\nRUN echo $X\n"), Options{})
	for _, f := range fs {
		if f.Rule == RuleArgNotRecorded && f.Column != 11 {
			t.Errorf("finding for X at column %d, want 11 (the X=2 word)", f.Column)
		}
	}
}
