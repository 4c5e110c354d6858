package drift

import (
	"fmt"
	"strings"

	"github.com/imagedrift/imagedrift/internal/report"
)

// WatchSectionTitle is the title of the drift section.
const WatchSectionTitle = "What drifted"

var kindWords = map[string]string{
	report.DriftBaseImage:        "Base image",
	report.DriftOSPackages:       "OS packages",
	report.DriftLanguagePackages: "Language packages",
	report.DriftFiles:            "Files",
	report.DriftConfig:           "Config",
}

// WatchSection renders d: one row per kind that drifted, with the lint
// findings that let it happen.
func WatchSection(d *report.Drift) report.Section {
	var w strings.Builder
	if !d.Drifted {
		w.WriteString("No drift: the fresh build of the commit has the reference's base image, packages, files " +
			"and config (timestamps and noise paths aside).\n")
		return report.Section{Title: WatchSectionTitle, Body: w.String()}
	}
	fmt.Fprintf(&w, "A fresh build of the commit is no longer the reference: %d %s drifted.\n\n",
		len(d.Parts), plural(len(d.Parts), "kind of content", "kinds of content"))
	w.WriteString("| What | Changes | Details | Let happen by |\n| --- | --- | --- | --- |\n")
	unexplained := false
	for _, p := range d.Parts {
		fmt.Fprintf(&w, "| %s | %d | %s | %s |\n", kindWords[p.Kind], p.Changes, partDetail(&p), lintCell(p.Causes))
		unexplained = unexplained || len(p.Causes) == 0
	}
	if unexplained {
		w.WriteString("\nWhere no finding is named, the Dockerfile pins what it can see: the drift came from " +
			"elsewhere (a dependency of a pinned package, a file the build downloads, the build context).\n")
	}
	return report.Section{Title: WatchSectionTitle, Body: w.String()}
}

func partDetail(p *report.DriftPart) string {
	if p.Kind == report.DriftBaseImage && p.From != "" && p.To != "" {
		name, _, _ := strings.Cut(p.Summary, " moved from ")
		return report.CodeSpan(name, 120, true) + " moved from " + report.CodeSpan(shortDigest(p.From), 80, true) +
			" to " + report.CodeSpan(shortDigest(p.To), 80, true)
	}
	return report.Text(p.Summary, 300)
}
