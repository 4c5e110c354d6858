package botpr

import (
	"fmt"
	"slices"
	"strings"

	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/report"
	"github.com/imagedrift/imagedrift/internal/risk"
)

// Change is one package change measured between the two images. From is
// empty for an added package, To for a removed one; Bump comes from the
// image's versions, by the ecosystem's rules.
type Change struct {
	Ecosystem    string
	Name         string
	PreviousName string
	From, To     string
	Bump         packages.Bump
	// Origin is where the change came from: OriginBase (the base image's
	// layers), OriginImage (the layers the Dockerfile builds on top), or
	// "" when the two could not be told apart. Where says it in words
	// ("Dockerfile:12").
	Origin string
	Where  string
	// OwnedBy names the distribution package a language package came
	// with: that package's change stands for both.
	OwnedBy string
}

// Origins of a change.
const (
	OriginBase  = "base"
	OriginImage = "image"
)

// ChangesFromReport lists the package changes of a report, with where
// each came from.
func ChangesFromReport(p *report.Packages) []Change {
	var out []Change
	for _, c := range p.Changed {
		b := packages.Bump(c.Bump)
		if c.Bump == "none" {
			b = packages.BumpNone
		}
		out = append(out, withOrigin(Change{Ecosystem: c.Ecosystem, Name: c.Name, PreviousName: c.PreviousName,
			From: c.From, To: c.To, Bump: b, OwnedBy: c.OwnedBy}, c.Origin))
	}
	for _, a := range p.Added {
		out = append(out, withOrigin(Change{Ecosystem: a.Ecosystem, Name: a.Name, To: a.Version, OwnedBy: a.OwnedBy}, a.Origin))
	}
	for _, r := range p.Removed {
		out = append(out, withOrigin(Change{Ecosystem: r.Ecosystem, Name: r.Name, From: r.Version, OwnedBy: r.OwnedBy}, r.Origin))
	}
	return out
}

func withOrigin(c Change, o *report.Origin) Change {
	if o == nil {
		return c
	}
	switch o.Kind {
	case "base":
		c.Origin, c.Where = OriginBase, "the base image"
	case "instruction":
		c.Origin, c.Where = OriginImage, fmt.Sprintf("%s:%d", o.Dockerfile, o.Line)
	case "image":
		c.Origin, c.Where = OriginImage, fmt.Sprintf("layer %d", o.Layer+1)
	}
	return c
}

// Match is one declared update and the changes the image shows for it.
type Match struct {
	Update Update
	// BaseImage is set when the update names a base image of the
	// Dockerfile (Dependabot's docker updates).
	BaseImage bool
	Changes   []Change
}

// Comparison sets a pull request's declared updates beside the package
// changes measured in the image.
type Comparison struct {
	Declared Declared
	Matches  []Match
	// Undeclared are the changes no declared update accounts for: drift
	// from unpinned installs in the layers the Dockerfile builds.
	Undeclared []Change
	// Moved are undeclared changes of an ecosystem whose declared update
	// changed the image: dependencies resolved with it from the lock file.
	Moved []Change
	// Brought are the changes a declared base-image update accounts for:
	// those of the base image's layers, or where these cannot be told
	// apart, those of distribution packages (dpkg, apk, rpm).
	Brought []Change
	// ByLayers is set when the base image's layers were told apart, so
	// that Brought are the changes found in them; DecidedBy says how (a
	// report's BaseImage.DecidedBy: "dockerfile", "shared-layers", ...).
	ByLayers  bool
	DecidedBy string
	// Checked is set when the declaration names every update, so that
	// Undeclared are raised as risks.
	Checked bool
}

// osEcosystems are the packages a base image brings.
var osEcosystems = map[string]bool{packages.Dpkg: true, packages.Apk: true, packages.RPM: true}

// Compare matches the declared updates with the measured changes by name
// (PEP 503 names for Python). A change goes to one update of each name
// that names it: of several updates of one name (two major lines of an
// npm package), the one whose versions fit it. A declared update that
// names a base image (baseImages: the Dockerfile's FROM references as
// written, the base images the report names) brings the changes of the
// base image's layers, or of every distribution package where the layers
// were not told apart. An undeclared change of an ecosystem whose
// declared update changed the image moved with it; a language package
// that came with its distribution package is that package's change.
func Compare(d Declared, changes []Change, baseImages []string) *Comparison {
	c := &Comparison{Declared: d}
	bases := map[string]bool{}
	for _, b := range baseImages {
		if b != "" {
			bases[imageRepo(b)] = true
		}
	}
	baseUpdate := false
	for _, u := range d.Updates {
		m := Match{Update: u, BaseImage: bases[imageRepo(u.Name)]}
		baseUpdate = baseUpdate || m.BaseImage
		c.Matches = append(c.Matches, m)
	}
	moving := map[string]bool{} // ecosystems a declared update changed
	var rest []*Change
	for i := range changes {
		ch := &changes[i]
		c.ByLayers = c.ByLayers || ch.Origin != ""
		updates := declaring(d.Updates, ch)
		for _, j := range updates {
			c.Matches[j].Changes = append(c.Matches[j].Changes, *ch)
			if !osEcosystems[ch.Ecosystem] {
				moving[ch.Ecosystem] = true
			}
		}
		if len(updates) == 0 && ch.OwnedBy == "" {
			rest = append(rest, ch)
		}
	}
	for _, ch := range rest {
		switch {
		case baseUpdate && (ch.Origin == OriginBase || ch.Origin == "" && osEcosystems[ch.Ecosystem]):
			c.Brought = append(c.Brought, *ch)
		case moving[ch.Ecosystem] && ch.Origin != OriginBase:
			c.Moved = append(c.Moved, *ch)
		default:
			c.Undeclared = append(c.Undeclared, *ch)
		}
	}
	unmatched := false
	for _, m := range c.Matches {
		unmatched = unmatched || (len(m.Changes) == 0 && !m.BaseImage)
	}
	c.Checked = d.Complete() && !(d.Ambiguous && unmatched)
	return c
}

// declaring lists the updates that account for ch: of the updates that
// name it, one per name, the first that fits it best.
func declaring(us []Update, ch *Change) []int {
	var out []int
	for i := range us {
		if !ch.named(us[i].Name) {
			continue
		}
		k := slices.IndexFunc(out, func(j int) bool { return strings.EqualFold(us[j].Name, us[i].Name) })
		switch {
		case k < 0:
			out = append(out, i)
		case fit(&us[i], ch) > fit(&us[out[k]], ch):
			out[k] = i
		}
	}
	return out
}

// fit scores how well an update's versions fit a change: the version it
// replaces is the surest sign, then the version it brings, then the
// major line.
func fit(u *Update, ch *Change) int {
	switch {
	case u.From != "" && ch.From != "" && sameVersion(u.From, ch.From):
		return 3
	case u.To != "" && ch.To != "" && sameVersion(u.To, ch.To):
		return 2
	case u.From != "" && ch.From != "" && major(u.From) == major(ch.From),
		u.To != "" && ch.To != "" && major(u.To) == major(ch.To):
		return 1
	}
	return 0
}

// named reports whether the change is of the package a bot calls name.
func (c *Change) named(name string) bool {
	if c.Ecosystem == packages.Python {
		n := pep503(name)
		return n == pep503(c.Name) || c.PreviousName != "" && n == pep503(c.PreviousName)
	}
	return strings.EqualFold(c.Name, name) || c.PreviousName != "" && strings.EqualFold(c.PreviousName, name)
}

// pep503 is the name PyPI knows a project by (PEP 503), as the catalogers
// and vulnerability lookups normalise it.
func pep503(s string) string { return packages.Rules(packages.Python).Normalize(s) }

// imageRepo reduces an image reference to its repository as Dependabot
// names it: no digest, no tag, no docker.io/library/ prefix.
func imageRepo(ref string) string {
	ref = strings.ToLower(strings.TrimSpace(ref))
	if i := strings.IndexByte(ref, '@'); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndexByte(ref, ':'); i > strings.LastIndexByte(ref, '/') {
		ref = ref[:i]
	}
	for _, p := range []string{"docker.io/", "index.docker.io/", "registry-1.docker.io/", "library/"} {
		ref = strings.TrimPrefix(ref, p)
	}
	return ref
}

// Risks are the undeclared-change risks, when the declaration names
// every update: one per package the image changed that the pull request
// does not declare, at the risk's default level (the policy may change
// it), and one at a low level per package that moved with a declared
// update of its ecosystem.
func (c *Comparison) Risks() []risk.Risk {
	if !c.Checked {
		return nil
	}
	names := c.declaredNames(3)
	var out []risk.Risk
	for _, ch := range c.Undeclared {
		out = append(out, risk.Risk{
			ID:      risk.UndeclaredChange,
			Level:   risk.DefaultLevels[risk.UndeclaredChange],
			Subject: ch.Ecosystem + ":" + ch.Name,
			Message: fmt.Sprintf("%s, not among the updates %s declares (%s)%s", ch.describe(), c.Declared.Bot.Name(), names, ch.from()),
		})
	}
	for _, ch := range c.Moved {
		out = append(out, risk.Risk{
			ID:      risk.UndeclaredChange,
			Level:   risk.Low,
			Subject: ch.Ecosystem + ":" + ch.Name,
			Message: fmt.Sprintf("%s, moved with the declared %s %s (resolved from the lock file)%s", ch.describe(), ch.Ecosystem,
				plural(c.declaredIn(ch.Ecosystem), "update", "updates"), ch.from()),
		})
	}
	return out
}

// declaredIn counts the declared updates that changed packages of eco.
func (c *Comparison) declaredIn(eco string) int {
	n := 0
	for _, m := range c.Matches {
		if slices.ContainsFunc(m.Changes, func(ch Change) bool { return ch.Ecosystem == eco }) {
			n++
		}
	}
	return n
}

// from says where a change came from, for a message: ", from
// Dockerfile:12"; "" when not known.
func (c *Change) from() string {
	if c.Where == "" {
		return ""
	}
	return ", from " + c.Where
}

// declaredNames lists up to n declared names for a message.
func (c *Comparison) declaredNames(n int) string {
	// A name updated in two major lines is named once.
	var names []string
	for _, u := range c.Declared.Updates {
		if !slices.ContainsFunc(names, func(s string) bool { return strings.EqualFold(s, u.Name) }) {
			names = append(names, u.Name)
		}
	}
	if len(names) > n {
		names = append(names[:n], fmt.Sprintf("and %d more", len(names)-n))
	}
	return strings.Join(names, ", ")
}

// describe says what the image shows, bump level included.
func (c *Change) describe() string {
	switch {
	case c.From == "":
		return "added at " + c.To
	case c.To == "":
		return "removed (was " + c.From + ")"
	case c.PreviousName != "":
		return fmt.Sprintf("%s %s → %s %s (%s)", c.PreviousName, c.From, c.Name, c.To, bumpWord(c.Bump))
	}
	return fmt.Sprintf("%s → %s (%s)", c.From, c.To, bumpWord(c.Bump))
}

// bumpWord names a bump level; a report read back may hold anything, so
// only the known levels are shown as they are.
func bumpWord(b packages.Bump) string {
	switch b {
	case packages.BumpNone:
		return "same version"
	case packages.BumpMajor, packages.BumpMinor, packages.BumpPatch, packages.BumpRevision, packages.BumpDowngrade:
		return string(b)
	}
	return string(packages.BumpUnknown)
}
