package report

// Drift is what a fresh build of a commit has that the reference (the
// image deployed, or an inventory saved earlier) has not, in the terms of
// how images drift: a base image that moved, OS packages and language
// packages that unpinned installs updated, files, config.
type Drift struct {
	// Drifted is false when nothing but timestamps and noise differ.
	Drifted bool        `json:"drifted"`
	Parts   []DriftPart `json:"parts"` // the kinds that drifted, in DriftKinds order
}

// Kinds of drift, in the order reports show them.
const (
	DriftBaseImage        = "base-image"
	DriftOSPackages       = "os-packages"
	DriftLanguagePackages = "language-packages"
	DriftFiles            = "files"
	DriftConfig           = "config"
)

// DriftKinds lists the kinds in report order.
var DriftKinds = []string{DriftBaseImage, DriftOSPackages, DriftLanguagePackages, DriftFiles, DriftConfig}

// DriftPart is one kind of drift.
type DriftPart struct {
	Kind    string `json:"kind"`
	Changes int    `json:"changes"` // packages, paths or fields that differ
	Summary string `json:"summary"` // one line
	// From and To are the base image digests (base-image only), when
	// known: the reference's recorded base, and what the tag names now.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Causes are the Dockerfile's lint findings that let this kind drift.
	Causes []Finding `json:"causes"`
}

// Reproducibility is what two builds of one commit gave: whether the
// images are the same and, if not, every difference by its likely cause.
type Reproducibility struct {
	Reproducible bool `json:"reproducible"`
	// First and Second are the two images' IDs (config digests).
	First  string `json:"first"`
	Second string `json:"second"`
	// SourceDateEpoch both builds had (the commit's time).
	SourceDateEpoch int64  `json:"sourceDateEpoch"`
	Builder         string `json:"builder,omitempty"`
	// RewritesTimestamps is set when the builder rewrote file times in
	// the layers to SourceDateEpoch.
	RewritesTimestamps bool         `json:"rewritesTimestamps"`
	Causes             []ReproCause `json:"causes"` // in ReproCauses order, only those found
}

// Likely causes of a difference between two builds, in report order.
const (
	ReproGeneratedSecret  = "generated-secret"  // machine ids, SSH host keys: the same in every container
	ReproPackageVersions  = "package-versions"  // an unpinned install raced a repository update
	ReproUnexplained      = "unexplained"       // content that differs for no known reason
	ReproNonDeterministic = "non-deterministic" // files known to differ per build: *.pyc, caches, logs
	ReproTimestamps       = "timestamps"        // file times, creation dates, dates written into files
)

// ReproCauses lists the causes in report order.
var ReproCauses = []string{ReproGeneratedSecret, ReproPackageVersions, ReproUnexplained, ReproNonDeterministic, ReproTimestamps}

// MaxReproDifferences bounds the differences listed per cause; Count
// has them all.
const MaxReproDifferences = 200

// ReproCause is the differences of one cause.
type ReproCause struct {
	Cause       string            `json:"cause"`
	Count       int               `json:"count"`
	Differences []ReproDifference `json:"differences"`
	// Lint are the Dockerfile's findings that explain the cause.
	Lint []Finding `json:"lint"`
}

// ReproDifference is one thing that differs between the two builds.
type ReproDifference struct {
	// Subject is a path, "config:FIELD", or "ECOSYSTEM:NAME".
	Subject string `json:"subject"`
	// Change is content, metadata, added, removed, mtime, config or version.
	Change string `json:"change"`
	Detail string `json:"detail,omitempty"`
}
