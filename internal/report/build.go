package report

import (
	"github.com/imagedrift/imagedrift/internal/diff"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/lint"
	"github.com/imagedrift/imagedrift/internal/origin"
	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/risk"
)

// Input is what a report is built from.
type Input struct {
	Base, Head *inventory.Inventory
	Changes    *diff.Changes
	Findings   []lint.Finding
	Risks      []risk.Risk
	Verdict    risk.Verdict
	Version    string // imagedrift's
}

// Build assembles the report.
func Build(in Input) *Report {
	ch := in.Changes
	if ch == nil {
		ch = &diff.Changes{}
	}
	r := &Report{
		SchemaVersion: SchemaVersion,
		Tool:          Tool{Name: "imagedrift", Version: in.Version},
		Identical:     ch.Identical,
		Base:          summary(in.Base, ch.BaseImage.Before, &ch.Origins[0]),
		Head:          summary(in.Head, ch.BaseImage.After, &ch.Origins[1]),
		Packages:      buildPackages(&ch.Packages, &ch.Origins),
		Files:         buildFiles(&ch.Files),
		Config:        buildConfig(ch.Config),
		Layers: Layers{Shared: ch.Layers.Shared, Base: buildLayers(ch.Layers.Before, &ch.Origins[0], sideBase),
			Head: buildLayers(ch.Layers.After, &ch.Origins[1], sideHead)},
		Lint: buildFindings(in.Findings),
	}
	r.SetRisks(in.Risks, in.Verdict)
	return r
}

// SetRisks records the risks and the verdict, every list present.
func (r *Report) SetRisks(risks []risk.Risk, v risk.Verdict) {
	r.Risks = append([]risk.Risk{}, risks...)
	if v.Level == "" {
		v.Level = risk.None
	}
	if v.FailOn == nil {
		v.FailOn = []string{}
	}
	if v.Reasons == nil {
		v.Reasons = []string{}
	}
	r.Verdict = v
}

// Sides, as Origin names them.
const (
	sideBase = "base"
	sideHead = "head"
)

// originOf is the origin of one layer of a side; nil where the side does
// not have the layer (an inventory read back without its layers).
func originOf(o *origin.Side, side string, layer int) *Origin {
	if layer < 0 || layer >= len(o.Layers) {
		return nil
	}
	l := o.Layers[layer]
	out := &Origin{Side: side, Layer: layer, Kind: string(l.Kind)}
	if l.Kind == origin.Instruction {
		out.Dockerfile, out.Line, out.Instruction = o.Dockerfile, l.Line, l.Instruction
	}
	return out
}

func summary(inv *inventory.Inventory, base diff.BaseRef, o *origin.Side) ImageSummary {
	s := ImageSummary{Packages: map[string]int{}}
	if inv == nil {
		return s
	}
	s.Ref, s.Digest, s.ImageID, s.Platform = inv.Ref, inv.Digest, inv.ConfigDigest, inv.Platform
	s.OS = OS{ID: inv.OS.ID, VersionID: inv.OS.VersionID, PrettyName: inv.OS.PrettyName}
	s.Layers, s.CompressedSize, s.Size, s.Files = len(inv.Layers), inv.CompressedSize, inv.Size, len(inv.Files)
	for _, p := range inv.Packages {
		s.Packages[p.Ecosystem]++
	}
	s.Ownership = inv.Ownership
	if base != (diff.BaseRef{}) || o.Known() || o.NoBase {
		s.BaseImage = &BaseImage{Name: base.Name, Digest: base.Digest, DecidedBy: o.DecidedBy, None: o.NoBase}
		if o.Known() {
			s.BaseImage.Layers = o.BaseLayers()
		}
	}
	for _, w := range inv.Warnings {
		s.Warnings = append(s.Warnings, w.String())
	}
	return s
}

func buildPackages(pc *diff.PackageChanges, o *[2]origin.Side) Packages {
	p := Packages{Added: pkgList(pc.Added, &o[1], sideHead), Removed: pkgList(pc.Removed, &o[0], sideBase),
		Changed: make([]PackageChange, 0, len(pc.Changed)), Ignored: pc.Ignored}
	for _, c := range pc.Changed {
		bump := string(c.Bump)
		if c.Bump == packages.BumpNone {
			bump = "none"
		}
		p.Changed = append(p.Changed, PackageChange{Ecosystem: c.Ecosystem, Name: c.Name,
			PreviousName: c.PreviousName, Location: c.Location, Arch: c.Arch, From: c.From, To: c.To, Bump: bump,
			OwnedBy: c.OwnedBy, Origin: originOf(&o[1], sideHead, c.Layer)})
	}
	return p
}

func pkgList(ps []packages.Package, o *origin.Side, side string) []Package {
	out := make([]Package, 0, len(ps))
	for _, p := range ps {
		out = append(out, Package{Ecosystem: p.Ecosystem, Name: p.Name, Version: p.Version,
			Location: p.Location, Source: p.Source, Arch: p.Arch, OwnedBy: p.OwnedBy, Origin: originOf(o, side, p.Layer)})
	}
	return out
}

func counts(c diff.Counts) FileCounts {
	return FileCounts{Added: c.Added, Removed: c.Removed, Modified: c.Modified, MetadataOnly: c.Metadata, SizeDelta: c.SizeDelta}
}

func buildFiles(fc *diff.FileChanges) Files {
	f := Files{Added: fc.Added, Removed: fc.Removed, Modified: fc.Modified, MetadataOnly: fc.Metadata,
		SizeDelta: fc.SizeDelta, Noise: counts(fc.Noise), Ignored: counts(fc.Ignored),
		Entries: make([]FileChange, 0, len(fc.Entries)), Directories: []DirSize{}, Owners: make([]OwnerFiles, 0, len(fc.Owners))}
	for i := range fc.Entries {
		f.Entries = append(f.Entries, fileChange(&fc.Entries[i]))
	}
	for _, o := range fc.Owners {
		f.Owners = append(f.Owners, OwnerFiles{Package: o.Owner, FileCounts: counts(o.Counts)})
	}
	for _, d := range fc.Growing(MaxDirectories) {
		f.Directories = append(f.Directories, DirSize{Path: d.Path, SizeBefore: d.Before, SizeAfter: d.After})
	}
	return f
}

func fileChange(c *diff.FileChange) FileChange {
	b, a := &c.Before, &c.After
	fc := FileChange{Path: c.Path, Change: string(c.Kind), Type: a.Type.String(),
		SizeBefore: b.Size, SizeAfter: a.Size, ModeBefore: b.Mode, ModeAfter: a.Mode,
		UIDBefore: int(b.UID), UIDAfter: int(a.UID), GIDBefore: int(b.GID), GIDAfter: int(a.GID),
		LinkBefore: b.Link, LinkAfter: a.Link, Noise: c.Noise, Owner: c.Owner,
		Layer: int(a.Layer), Executable: a.Executable.String(), Edited: a.Modified, Conffile: a.Conffile}
	switch {
	case c.Kind == diff.Removed:
		fc.Type = b.Type.String()
		fc.Layer, fc.Executable, fc.Edited, fc.Conffile = int(b.Layer), b.Executable.String(), b.Modified, b.Conffile
	case c.Kind != diff.Added && b.Type != a.Type:
		fc.TypeBefore = b.Type.String()
	}
	return fc
}

func buildConfig(cs []diff.ConfigChange) []ConfigChange {
	out := make([]ConfigChange, 0, len(cs))
	for _, c := range cs {
		out = append(out, ConfigChange{Field: c.Field, Key: c.Key, Before: c.Before, After: c.After})
	}
	return out
}

func buildLayers(ls []inventory.Layer, o *origin.Side, side string) []Layer {
	out := make([]Layer, 0, len(ls))
	for i, l := range ls {
		out = append(out, Layer{Digest: l.Digest, Size: l.Size, UncompressedSize: l.UncompSize, CreatedBy: l.CreatedBy,
			Origin: originOf(o, side, i)})
	}
	return out
}

func buildFindings(fs []lint.Finding) []Finding {
	out := make([]Finding, 0, len(fs))
	for _, f := range fs {
		out = append(out, Finding{Rule: f.Rule, Level: string(f.Level), File: f.File, Line: f.Line, Column: f.Column, Message: f.Message})
	}
	return out
}
