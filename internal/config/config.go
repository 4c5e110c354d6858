package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/imagedrift/imagedrift/internal/diff"
	"github.com/imagedrift/imagedrift/internal/risk"
)

// DefaultPaths are tried, in order, when no --config is given.
var DefaultPaths = []string{".github/imagedrift.yml", ".github/imagedrift.yaml"}

// MaxSize bounds the file read: a config is a few hundred bytes.
const MaxSize = 1 << 20

// Config is the content of the configuration file, defaults filled in.
type Config struct {
	// Path is the file read, "" when the defaults apply.
	Path string

	IgnorePaths    []string
	IgnorePackages []string
	// NoisePaths are added to diff.DefaultNoisePaths, or replace them
	// when NoiseDefaults is false.
	NoisePaths    []string
	NoiseDefaults bool

	SizePercent float64
	SizeBytes   int64
	Files       int

	// RiskLevels override the level per risk id (risk.Off drops it).
	RiskLevels map[string]risk.Level
	AllowMajor []string
	// FailOn is the default for --fail-on; nil when the file says nothing.
	FailOn []string

	Lint    Lint
	Comment Comment
}

// Lint holds the lint settings; the CLI maps them to lint.Options.
type Lint struct {
	Target       string
	DeployTarget string
	Disabled     map[string]bool
	Levels       map[string]string // rule → low | medium | high
}

// Comment holds the PR comment settings used by the action.
type Comment struct {
	// Key tells apart the comments of several images in one PR; empty
	// lets the action derive one.
	Key string
	// When is always | changes | risk | never (default changes: post
	// when the images differ, update an existing comment in any case).
	When string
}

// Comment.When values.
const (
	WhenAlways  = "always"
	WhenChanges = "changes"
	WhenRisk    = "risk"
	WhenNever   = "never"
)

// Default is the configuration without a file.
func Default() *Config {
	p := risk.DefaultPolicy()
	return &Config{
		NoiseDefaults: true,
		SizePercent:   p.SizePercent,
		SizeBytes:     p.SizeBytes,
		Files:         p.Files,
		Comment:       Comment{When: WhenChanges},
	}
}

// Load reads the file at path. An empty path tries DefaultPaths in the
// current directory and returns Default() when none exists; a path that
// was named must exist.
func Load(path string) (*Config, error) {
	if path == "" {
		for _, p := range DefaultPaths {
			c, err := loadFile(p)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return c, err
		}
		return Default(), nil
	}
	return loadFile(path)
}

func loadFile(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("read config %s: %w", path, err)
	}
	if len(data) > MaxSize {
		return nil, fmt.Errorf("read config %s: larger than %d bytes", path, MaxSize)
	}
	return Parse(path, data)
}

// DiffOptions are the diff options the config asks for.
func (c *Config) DiffOptions() diff.Options {
	o := diff.Options{
		IgnorePaths:    append([]string(nil), c.IgnorePaths...),
		IgnorePackages: append([]string(nil), c.IgnorePackages...),
	}
	if c.NoiseDefaults {
		o.NoisePaths = append(o.NoisePaths, diff.DefaultNoisePaths...)
	}
	o.NoisePaths = append(o.NoisePaths, c.NoisePaths...)
	return o
}

// Policy is the risk policy the config asks for; failOn, when not nil
// (a --fail-on flag was given), replaces the config's list.
func (c *Config) Policy(failOn []string) risk.Policy {
	p := risk.Policy{
		FailOn:      c.FailOn,
		Levels:      c.RiskLevels,
		SizePercent: c.SizePercent,
		SizeBytes:   c.SizeBytes,
		Files:       c.Files,
		AllowMajor:  c.AllowMajor,
	}
	if failOn != nil {
		p.FailOn = failOn
	}
	if p.FailOn == nil {
		p.FailOn = []string{}
	}
	return p
}
