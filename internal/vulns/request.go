package vulns

import (
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/report"
)

// RequestOf turns a report's package changes into a Request. The report
// has each package's name, version, architecture and location, but not
// the source package and source version that OSV keys distributions by:
// those come from the inventories, where the package is found again by
// ecosystem, name and version, the architecture and location telling
// copies apart. A package the inventories lack (nil inventories, a report
// read back) is looked up by what the report has. The OS release of each
// side is the inventory's, else the report's.
func RequestOf(rep *report.Report, base, head *inventory.Inventory) Request {
	req := Request{Base: distroOf(base, rep.Base.OS), Head: distroOf(head, rep.Head.OS)}
	bix, hix := indexOf(base), indexOf(head)
	for _, c := range rep.Packages.Changed {
		prev := c.Name
		if c.PreviousName != "" {
			prev = c.PreviousName
		}
		b := bix.find(packages.Package{Ecosystem: c.Ecosystem, Name: prev, Version: c.From, Arch: c.Arch, Location: c.Location})
		h := hix.find(packages.Package{Ecosystem: c.Ecosystem, Name: c.Name, Version: c.To, Arch: c.Arch, Location: c.Location})
		req.Changes = append(req.Changes, ChangeOf(b, h))
	}
	for _, p := range rep.Packages.Added {
		req.Changes = append(req.Changes, ChangeOf(nil, hix.find(reportPackage(p))))
	}
	for _, p := range rep.Packages.Removed {
		req.Changes = append(req.Changes, ChangeOf(bix.find(reportPackage(p)), nil))
	}
	return req
}

func reportPackage(p report.Package) packages.Package {
	return packages.Package{Ecosystem: p.Ecosystem, Name: p.Name, Version: p.Version, Location: p.Location, Source: p.Source, Arch: p.Arch}
}

func distroOf(inv *inventory.Inventory, os report.OS) packages.Distro {
	if inv != nil {
		return packages.Distro{ID: inv.OS.ID, VersionID: inv.OS.VersionID, PrettyName: inv.OS.PrettyName}
	}
	return packages.Distro{ID: os.ID, VersionID: os.VersionID, PrettyName: os.PrettyName}
}

type nameKey struct{ eco, name string }

// pkgIndex finds an inventory's packages by ecosystem and name.
type pkgIndex map[nameKey][]*packages.Package

func indexOf(inv *inventory.Inventory) pkgIndex {
	ix := pkgIndex{}
	if inv == nil {
		return ix
	}
	for i := range inv.Packages {
		p := &inv.Packages[i]
		k := nameKey{p.Ecosystem, p.Name}
		ix[k] = append(ix[k], p)
	}
	return ix
}

// find returns the inventory's copy of want (same ecosystem, name and
// version, and architecture when want has one): the one at want's
// location, else the one whose location shares the longest prefix with
// it (a dist-info directory or a jar name carries the version, so an
// upgraded copy's location differs). Without one, want itself.
func (ix pkgIndex) find(want packages.Package) *packages.Package {
	var best *packages.Package
	bestScore := -1
	for _, p := range ix[nameKey{want.Ecosystem, want.Name}] {
		if p.Version != want.Version || want.Arch != "" && p.Arch != "" && p.Arch != want.Arch {
			continue
		}
		score := commonPrefix(p.Location, want.Location)
		if p.Location == want.Location {
			score = len(want.Location) + 1
		}
		if score > bestScore {
			best, bestScore = p, score
		}
	}
	if best == nil {
		return &want
	}
	return best
}

func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}
