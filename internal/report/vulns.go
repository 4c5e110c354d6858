package report

// Vulnerabilities is what the known vulnerabilities (OSV) of the changed
// packages say: per package, the ones the change fixes, introduces or
// leaves in place. The field is absent when no lookup ran; Unavailable is
// set, and the lists are empty, when one ran but got no data.
type Vulnerabilities struct {
	Source VulnSource `json:"source"`
	// Unavailable says why the data could not be had (the API out of
	// reach); the report then knows nothing about vulnerabilities.
	Unavailable string     `json:"unavailable,omitempty"`
	Totals      VulnTotals `json:"totals"`
	// Packages are the changes with a vulnerability on either side.
	Packages []VulnPackage `json:"packages"`
	// Skipped are the changes that could not be checked, and why.
	Skipped []VulnSkipped `json:"skipped"`
	// Advisories are the ones a pull request says it fixes (a Dependabot
	// security update), checked against the images.
	Advisories []AdvisoryCheck `json:"advisories,omitempty"`
}

// Sources of vulnerability data.
const (
	VulnSourceAPI     = "osv-api"     // the OSV API
	VulnSourceOffline = "osv-offline" // an offline copy of OSV's exports
)

// VulnSource names where the records came from.
type VulnSource struct {
	Kind     string `json:"kind"`     // VulnSourceAPI or VulnSourceOffline
	Location string `json:"location"` // the API's base URL, the database's directory
}

// VulnTotals count distinct vulnerabilities (by id) per outcome, and the
// package changes checked and not checked.
type VulnTotals struct {
	Fixed        int `json:"fixed"`
	Introduced   int `json:"introduced"`
	StillPresent int `json:"stillPresent"`
	Evaluated    int `json:"evaluated"`
	Skipped      int `json:"skipped"`
}

// VulnPackage is one package change and its vulnerabilities. From is
// empty for an added package, To for a removed one.
type VulnPackage struct {
	Ecosystem string `json:"ecosystem"`
	Name      string `json:"name"`
	Location  string `json:"location"`
	From      string `json:"from"`
	To        string `json:"to"`
	// OSVBefore and OSVAfter say how each side was looked up
	// ("Debian:9/openssl@1.1.0l-1~deb9u5"): the source package and its
	// version for distributions.
	OSVBefore    string          `json:"osvBefore,omitempty"`
	OSVAfter     string          `json:"osvAfter,omitempty"`
	Fixed        []Vulnerability `json:"fixed"`
	Introduced   []Vulnerability `json:"introduced"`
	StillPresent []Vulnerability `json:"stillPresent"`
	// Notes say what the evaluation left aside (a range whose versions
	// the ecosystem's ordering cannot read).
	Notes []string `json:"notes,omitempty"`
}

// Vulnerability is one known vulnerability; records naming each other as
// aliases count once.
type Vulnerability struct {
	ID       string       `json:"id"`
	Aliases  []string     `json:"aliases"`
	Upstream []string     `json:"upstream,omitempty"`
	Summary  string       `json:"summary"`
	Severity VulnSeverity `json:"severity"`
	Link     string       `json:"link"`
	// FixedIn are the versions that fix it on the head's side (for the
	// introduced and the still present ones).
	FixedIn []string `json:"fixedIn"`
}

// Severity levels of a vulnerability, most severe first.
var VulnLevels = []string{"critical", "high", "medium", "low", "none", "unknown"}

// VulnSeverity is a vulnerability's severity: from a CVSS vector when the
// record has one, else from the database's own rating.
type VulnSeverity struct {
	Level  string  `json:"level"` // one of VulnLevels
	Score  float64 `json:"score,omitempty"`
	Vector string  `json:"vector,omitempty"`
	Source string  `json:"source,omitempty"` // CVSS_V3, CVSS_V4, database, ...
}

// VulnSkipped is a package change that could not be checked.
type VulnSkipped struct {
	Ecosystem string `json:"ecosystem"`
	Name      string `json:"name"`
	From      string `json:"from"`
	To        string `json:"to"`
	Reason    string `json:"reason"`
}

// Advisory statuses.
const (
	AdvisoryGone     = "gone"      // a change fixed it and no package still has it
	AdvisoryPresent  = "present"   // a package of the head still has it
	AdvisoryNotFound = "not-found" // no changed package is or was affected
)

// AdvisoryCheck is what the images say of one advisory a pull request
// names.
type AdvisoryCheck struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	// Fixed and Present name the changes ("name from → to") where it was
	// fixed and where it remains.
	Fixed   []string `json:"fixed"`
	Present []string `json:"present"`
	// Incomplete is set when some changes could not be checked, so that
	// the status may not be the whole story.
	Incomplete bool `json:"incomplete,omitempty"`
}
