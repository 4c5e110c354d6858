package drift

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/imagedrift/imagedrift/internal/diff"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/lint"
	"github.com/imagedrift/imagedrift/internal/report"
)

// ReproInput is two builds of one commit and what is known of them.
type ReproInput struct {
	First, Second *inventory.Inventory
	// Probes of the first and second image; nil when not read, and then
	// file times and dates written into files are not told apart.
	Probes   [2]*Probe
	Findings []lint.Finding // the Dockerfile's
	// Epoch is the SOURCE_DATE_EPOCH both builds had.
	Epoch              int64
	Builder            string
	RewritesTimestamps bool
}

// Classify sorts every difference between the two builds by its likely
// cause. rep is the report of First against Second, as analysis.Run
// builds it (the configuration's ignored paths left out, noise flagged).
func Classify(rep *report.Report, in ReproInput) *report.Reproducibility {
	r := &report.Reproducibility{
		First: imageID(in.First), Second: imageID(in.Second),
		SourceDateEpoch: in.Epoch, Builder: in.Builder, RewritesTimestamps: in.RewritesTimestamps,
		Causes: []report.ReproCause{},
	}
	r.Reproducible = rep.Identical || (r.First != "" && r.First == r.Second)
	if r.Reproducible {
		return r
	}
	c := &classifier{in: &in, rep: rep, byCause: map[string][]report.ReproDifference{}, seen: map[string]bool{}}
	c.packages()
	c.files()
	c.times()
	c.config()
	if len(c.byCause) == 0 {
		c.add(report.ReproUnexplained, report.ReproDifference{Subject: "layers", Change: "content",
			Detail: "the layers differ in what is not compared here (the order of entries, extended attributes, hard links)"})
	}
	for _, cause := range report.ReproCauses {
		diffs := c.byCause[cause]
		if len(diffs) == 0 {
			continue
		}
		sort.SliceStable(diffs, func(i, j int) bool { return diffs[i].Subject < diffs[j].Subject })
		rc := report.ReproCause{Cause: cause, Count: len(diffs), Differences: diffs[:min(len(diffs), report.MaxReproDifferences)],
			Lint: causes(in.Findings, reproRules[cause]...)}
		r.Causes = append(r.Causes, rc)
	}
	return r
}

// reproRules are the lint rules that explain each cause.
var reproRules = map[string][][]string{
	report.ReproPackageVersions: {osRules, langRules},
	report.ReproUnexplained:     {fetchRules, baseRules},
}

func imageID(inv *inventory.Inventory) string {
	if inv == nil {
		return ""
	}
	if inv.ConfigDigest != "" {
		return inv.ConfigDigest
	}
	return inv.Digest
}

type classifier struct {
	in      *ReproInput
	rep     *report.Report
	byCause map[string][]report.ReproDifference
	seen    map[string]bool // paths already classified
}

func (c *classifier) add(cause string, d report.ReproDifference) {
	c.byCause[cause] = append(c.byCause[cause], d)
}

// packages: a package whose version differs between two builds of one
// commit was installed without a pinned version while its repository moved.
func (c *classifier) packages() {
	p := &c.rep.Packages
	for _, ch := range p.Changed {
		c.add(report.ReproPackageVersions, report.ReproDifference{Subject: ch.Ecosystem + ":" + ch.Name, Change: "version",
			Detail: ch.From + " → " + ch.To})
	}
	for _, pk := range p.Added {
		c.add(report.ReproPackageVersions, report.ReproDifference{Subject: pk.Ecosystem + ":" + pk.Name, Change: "added", Detail: pk.Version})
	}
	for _, pk := range p.Removed {
		c.add(report.ReproPackageVersions, report.ReproDifference{Subject: pk.Ecosystem + ":" + pk.Name, Change: "removed", Detail: pk.Version})
	}
}

func (c *classifier) files() {
	owned := newPackagePaths(&c.rep.Packages)
	for i := range c.rep.Files.Entries {
		e := &c.rep.Files.Entries[i]
		c.seen[e.Path] = true
		d := report.ReproDifference{Subject: e.Path, Change: fileChangeKind(e), Detail: fileDetail(e)}
		a, b := c.sample(0, e.Path), c.sample(1, e.Path)
		switch {
		case secretPaths.Match(e.Path) || looksLikePrivateKey(a) || looksLikePrivateKey(b):
			c.add(report.ReproGeneratedSecret, d)
		case owned.match(e.Path):
			c.add(report.ReproPackageVersions, d)
		case e.Noise || nonDeterministicPaths.Match(e.Path):
			c.add(report.ReproNonDeterministic, d)
		case e.Change == "modified" && a != nil && b != nil && onlyTimesDiffer(a, b):
			d.Detail = "only the dates and times written in it differ"
			c.add(report.ReproTimestamps, d)
		default:
			c.add(report.ReproUnexplained, d)
		}
	}
}

func (c *classifier) sample(side int, p string) []byte {
	if c.in.Probes[side] == nil {
		return nil
	}
	return c.in.Probes[side].Samples[p]
}

func fileChangeKind(e *report.FileChange) string {
	switch e.Change {
	case "modified":
		return "content"
	case "metadata":
		return "metadata"
	}
	return e.Change
}

func fileDetail(e *report.FileChange) string {
	switch {
	case e.Change == "modified" && e.TypeBefore != "":
		return e.TypeBefore + " → " + e.Type
	case e.Change == "modified" && e.SizeBefore != e.SizeAfter:
		return fmt.Sprintf("%d → %d bytes", e.SizeBefore, e.SizeAfter)
	case e.Change == "metadata" && e.ModeBefore != e.ModeAfter:
		return fmt.Sprintf("mode %04o → %04o", e.ModeBefore, e.ModeAfter)
	case e.Change == "metadata" && (e.UIDBefore != e.UIDAfter || e.GIDBefore != e.GIDAfter):
		return fmt.Sprintf("owner %d:%d → %d:%d", e.UIDBefore, e.GIDBefore, e.UIDAfter, e.GIDAfter)
	case e.Change == "metadata":
		return "link " + e.LinkBefore + " → " + e.LinkAfter
	}
	return ""
}

// times: paths whose content and metadata are the same but whose time is
// not, which changes the layer and so the image.
func (c *classifier) times() {
	a, b := c.in.Probes[0], c.in.Probes[1]
	if a == nil || b == nil {
		return
	}
	for p, ta := range a.MTimes {
		tb, ok := b.MTimes[p]
		if !ok || ta == tb || c.seen[p] {
			continue
		}
		c.add(report.ReproTimestamps, report.ReproDifference{Subject: p, Change: "mtime",
			Detail: stamp(ta) + " → " + stamp(tb)})
	}
}

func stamp(ns int64) string { return time.Unix(0, ns).UTC().Format(time.RFC3339) }

// config: the creation dates of the image and its history, and config
// fields (labels, env) whose values differ.
func (c *classifier) config() {
	fa, fb := &c.in.First.Config, &c.in.Second.Config
	if !sameTime(fa.Created, fb.Created) {
		c.add(report.ReproTimestamps, report.ReproDifference{Subject: "config:created", Change: "config",
			Detail: timeOf(fa.Created) + " → " + timeOf(fb.Created)})
	}
	n := 0
	for i := range min(len(fa.History), len(fb.History)) {
		if !sameTime(fa.History[i].Created, fb.History[i].Created) {
			n++
		}
	}
	if n > 0 {
		c.add(report.ReproTimestamps, report.ReproDifference{Subject: "config:history", Change: "config",
			Detail: strconv.Itoa(n) + plural(n, " history entry has another creation time", " history entries have other creation times")})
	}
	c.labels(fa.Labels, fb.Labels)
	for _, ch := range c.rep.Config {
		if ch.Field == "labels" {
			continue // all labels are compared above, build dates too
		}
		subject := "config:" + ch.Field
		if ch.Key != "" {
			subject += ":" + ch.Key
		}
		d := report.ReproDifference{Subject: subject, Change: "config", Detail: strOf(ch.Before) + " → " + strOf(ch.After)}
		if ch.Before != nil && ch.After != nil && onlyTimesDiffer([]byte(*ch.Before), []byte(*ch.After)) {
			c.add(report.ReproTimestamps, d)
			continue
		}
		c.add(report.ReproUnexplained, d)
	}
}

// labels compares every label: the diff leaves out the ones that hold
// the build date, which do make two builds differ.
func (c *classifier) labels(a, b map[string]string) {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		va, okA := a[k]
		vb, okB := b[k]
		if okA == okB && va == vb {
			continue
		}
		d := report.ReproDifference{Subject: "config:labels:" + k, Change: "config", Detail: labelValue(va, okA) + " → " + labelValue(vb, okB)}
		if okA && okB && onlyTimesDiffer([]byte(va), []byte(vb)) {
			c.add(report.ReproTimestamps, d)
			continue
		}
		c.add(report.ReproUnexplained, d)
	}
}

func labelValue(v string, ok bool) string {
	if !ok {
		return "(unset)"
	}
	return v
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

func timeOf(t *time.Time) string {
	if t == nil {
		return "(none)"
	}
	return t.UTC().Format(time.RFC3339)
}

func strOf(s *string) string {
	if s == nil {
		return "(unset)"
	}
	return *s
}

// Paths whose content every build makes anew.
var (
	secretPaths = mustPaths(
		"/etc/machine-id", "/var/lib/dbus/machine-id", "/etc/hostid", "/var/lib/systemd/random-seed",
		"/etc/ssh/ssh_host_*", "/etc/ssl/private", "/etc/ssl/certs/ssl-cert-snakeoil.pem", "/etc/pki/tls/private",
		"/root/.ssh/id_*", "/home/*/.ssh/id_*",
	)
	nonDeterministicPaths = mustPaths(append(append([]string{}, diff.DefaultNoisePaths...),
		"*.pyo", ".build-id", "/var/lib/dpkg/available", "/var/lib/systemd/catalog/database",
		"/etc/passwd-", "/etc/group-", "/etc/shadow-", "/etc/gshadow-", "/etc/subuid-", "/etc/subgid-",
		"/usr/share/info/dir", "/usr/share/info/dir.old", "*.log.gz", "/tmp", "/var/tmp",
	)...)
)

func mustPaths(patterns ...string) *diff.PathSet {
	s, err := diff.CompilePaths(patterns)
	if err != nil {
		panic(err) // the lists above are fixed
	}
	return s
}
