package drift

import (
	"github.com/imagedrift/imagedrift/internal/lint"
	"github.com/imagedrift/imagedrift/internal/report"
)

// Lint rules that let each kind of drift happen: a base image named by a
// tag follows its publisher, an unpinned install takes what the archive
// has on build day, a download or a clone takes what the server has.
var (
	baseRules = []string{lint.RuleUnpinnedBaseDigest, lint.RuleLatestTag, lint.RuleFromArgNoDefault}
	osRules   = []string{lint.RuleAptUnpinned, lint.RuleApkUnpinned, lint.RuleRpmUnpinned, lint.RulePackageUpgrade}
	langRules = []string{lint.RulePipUnpinned, lint.RuleNpmInstall, lint.RuleGemUnpinned, lint.RuleGoInstallLatest,
		lint.RuleComposerUnpinned}
	fetchRules = []string{lint.RulePipeToShell, lint.RuleAddURLNoChecksum, lint.RuleGitCloneUnpinned}
	fileRules  = append(append([]string{}, fetchRules...), lint.RuleCopyPrebuilt, lint.RuleArgNotRecorded)
)

// causes returns the findings of the given rules, in the findings' order.
func causes(findings []lint.Finding, rules ...[]string) []report.Finding {
	out := []report.Finding{}
	for _, f := range findings {
		for _, set := range rules {
			if contains(set, f.Rule) {
				out = append(out, report.Finding{Rule: f.Rule, Level: string(f.Level), File: f.File, Line: f.Line,
					Column: f.Column, Message: f.Message})
				break
			}
		}
	}
	return out
}

func contains(set []string, s string) bool {
	for _, x := range set {
		if x == s {
			return true
		}
	}
	return false
}

// osEcosystems are the distributions' package managers; the rest are
// language packages.
var osEcosystems = map[string]bool{"dpkg": true, "apk": true, "rpm": true}
