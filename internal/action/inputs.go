package action

import (
	"fmt"
	"strings"

	"github.com/imagedrift/imagedrift/internal/build"
	"github.com/imagedrift/imagedrift/internal/config"
	"github.com/imagedrift/imagedrift/internal/risk"
)

// Modes of the action.
const (
	ModeDiff    = "diff"    // build, diff and publish in one job
	ModeReport  = "report"  // the same, plus pr.json for the comment phase
	ModeComment = "comment" // read a report phase's artifact and publish it
	ModeWatch   = "watch"   // build the commit fresh, compare with a reference, keep an issue
)

// InputNames are the inputs action.yml declares and readInputs reads.
var InputNames = []string{
	"file", "context", "target", "build-args", "platform", "base-image", "head-image", "base-ref",
	"comment", "comment-key", "fail-on", "config", "github-token", "mode", "report-dir", "lint",
	"allow-untrusted-build", "check-run", "vulnerabilities", "vulnerabilities-db", "reproducible", "cache-dir",
}

// OutputNames are the step outputs the action sets: every run sets the
// first ones, the runs of a mode or an input also ModeOutputNames.
var OutputNames = append([]string{"risk-level", "failed", "major-bumps", "packages-changed", "report", "markdown", "comment-url",
	"vulnerabilities-fixed", "vulnerabilities-introduced"}, ModeOutputNames...)

// ModeOutputNames are set by watch mode (drifted, issue-url) and with
// reproducible: true (reproducible).
var ModeOutputNames = []string{"drifted", "issue-url", "reproducible"}

// Inputs are the action's inputs (action.yml), read from INPUT_* by
// their kebab-case names and checked.
type Inputs struct {
	File, Context, Target string
	BuildArgs             []string
	Platform              string
	BaseImage, HeadImage  string
	BaseRef               string
	Comment               string   // always | changes | risk | never; "" takes the config's
	CommentKey            string   // "" derives the key
	FailOn                []string // nil takes the config's
	Config                string
	Token                 string
	Mode                  string
	ReportDir             string // "" is $RUNNER_TEMP/imagedrift
	Lint                  bool
	AllowUntrustedBuild   bool
	CheckRun              bool // create a check run with the report and annotations
	// Vulnerabilities looks up the known vulnerabilities of the changed
	// packages; VulnerabilitiesDB, when set, in an offline database
	// rather than the OSV API.
	Vulnerabilities   bool
	VulnerabilitiesDB string
	// Reproducible builds the head twice, with no cache and the commit's
	// time, reports what differs (not-reproducible), and compares the
	// first build as the head.
	Reproducible bool
	// CacheDir is the layer cache's directory, relative to the workspace;
	// "" is $XDG_CACHE_HOME/imagedrift (~/.cache/imagedrift).
	CacheDir string
}

// inputError is a mistake in the workflow's inputs.
type inputError struct {
	name string
	err  error
}

func (e *inputError) Error() string { return fmt.Sprintf("input %s: %v", e.name, e.err) }
func (e *inputError) Unwrap() error { return e.err }

// readInputs reads and checks the inputs; get is GetInput, which trims
// white space. Errors name the input, never a build argument's value.
func readInputs(get func(string) string) (*Inputs, error) {
	in := &Inputs{
		File:       or(get("file"), "Dockerfile"),
		Context:    or(get("context"), "."),
		Target:     get("target"),
		Platform:   get("platform"),
		BaseImage:  get("base-image"),
		HeadImage:  get("head-image"),
		BaseRef:    get("base-ref"),
		CommentKey: get("comment-key"),
		Config:     get("config"),
		Token:      get("github-token"),
		ReportDir:  get("report-dir"),
		CacheDir:   get("cache-dir"),

		VulnerabilitiesDB: get("vulnerabilities-db"),
	}
	var err error
	if in.BuildArgs, err = build.ParseBuildArgs(get("build-args")); err != nil {
		return nil, &inputError{"build-args", err}
	}
	if in.Mode, err = oneOf("mode", or(get("mode"), ModeDiff), ModeDiff, ModeReport, ModeComment, ModeWatch); err != nil {
		return nil, err
	}
	if c := get("comment"); c != "" {
		if in.Comment, err = oneOf("comment", c, config.WhenAlways, config.WhenChanges, config.WhenRisk, config.WhenNever); err != nil {
			return nil, err
		}
	}
	if s := get("fail-on"); s != "" {
		if in.FailOn, err = risk.ParseFailOn(s); err != nil {
			return nil, &inputError{"fail-on", err}
		}
	}
	if in.Lint, err = boolInput(get, "lint", true); err != nil {
		return nil, err
	}
	if in.AllowUntrustedBuild, err = boolInput(get, "allow-untrusted-build", false); err != nil {
		return nil, err
	}
	if in.CheckRun, err = boolInput(get, "check-run", false); err != nil {
		return nil, err
	}
	if in.Reproducible, err = boolInput(get, "reproducible", false); err != nil {
		return nil, err
	}
	if in.Vulnerabilities, err = boolInput(get, "vulnerabilities", true); err != nil {
		return nil, err
	}
	return in, nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func oneOf(name, v string, allowed ...string) (string, error) {
	for _, a := range allowed {
		if strings.EqualFold(v, a) {
			return a, nil
		}
	}
	return "", &inputError{name, fmt.Errorf("%q is not one of %s", clip(v), strings.Join(allowed, ", "))}
}

// boolInput reads a boolean input as the YAML 1.2 core schema writes
// booleans, which is what a workflow passes on.
func boolInput(get func(string) string, name string, def bool) (bool, error) {
	switch strings.ToLower(get(name)) {
	case "":
		return def, nil
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, &inputError{name, fmt.Errorf("%q is not true or false", clip(get(name)))}
}

// clip shortens a value for an error message.
func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
