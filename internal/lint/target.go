package lint

import "strings"

// checkTargets compares the built target with the deployed one.
func (l *linter) checkTargets() {
	if len(l.d.stages) == 0 {
		return
	}
	first := l.d.stages[0].from
	var names []string
	for _, s := range l.d.stages {
		if s.name != "" {
			names = append(names, s.name)
		}
	}
	known := "the Dockerfile names no stage"
	if len(names) > 0 {
		known = "stages: " + strings.Join(names, ", ")
	}
	built := l.d.targetStage(l.opts.Target)
	if l.opts.Target != "" && built == nil {
		l.report(first, RuleUnknownTarget, first.pos(),
			"target %q names no stage (%s): build one of them or name a stage with FROM … AS %s",
			l.opts.Target, known, strings.ToLower(l.opts.Target))
	}
	if l.opts.DeployTarget == "" {
		return
	}
	deployed := l.d.stageNamed(l.opts.DeployTarget)
	if deployed == nil {
		l.report(first, RuleUnknownTarget, first.pos(),
			"the configured deploy target %q names no stage (%s): fix the configuration",
			l.opts.DeployTarget, known)
		return
	}
	if built != nil && built != deployed {
		what := "the last stage"
		if built.name != "" {
			what = "stage " + built.name
		}
		if l.opts.Target != "" {
			what = "target " + l.opts.Target
		}
		l.report(built.from, RuleTargetMismatch, built.from.pos(),
			"the build produces %s but the configuration deploys %q, so the image checked is not the one shipped: build target %s or change the deploy target",
			what, l.opts.DeployTarget, deployed.name)
	}
}
