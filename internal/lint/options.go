package lint

// Options tune a lint run. The zero value runs every rule at its default
// level. The configuration file loader fills Disabled and Levels; the
// action's target input fills Target.
type Options struct {
	// Target is the stage being built (docker build --target); empty means
	// the last stage.
	Target string
	// DeployTarget is the stage the configuration says is deployed.
	DeployTarget string
	// Disabled rules report nothing.
	Disabled map[string]bool
	// Levels override the default level of a rule.
	Levels map[string]Level
}

// levelOf returns the level a rule's findings get under these options.
func (o Options) levelOf(r Rule) Level {
	if l, ok := o.Levels[r.ID]; ok && l.Valid() {
		return l
	}
	return r.Level
}

// Rank orders levels: low < medium < high. Unknown levels rank 0.
func (l Level) Rank() int {
	switch l {
	case LevelLow:
		return 1
	case LevelMedium:
		return 2
	case LevelHigh:
		return 3
	}
	return 0
}

// Valid reports whether l is one of the three levels.
func (l Level) Valid() bool { return l.Rank() > 0 }
