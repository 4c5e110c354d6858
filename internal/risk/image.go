package risk

import (
	"fmt"
	"strings"

	"github.com/imagedrift/imagedrift/internal/diff"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/units"
)

func (e *evaluator) image(ch *diff.Changes) {
	if ch.OS.Changed {
		e.addDefault(OSChanged, "os", osName(ch.OS.Before)+" → "+osName(ch.OS.After))
	}
	if bi := ch.BaseImage; bi.Changed {
		e.base(bi)
	}
	e.size(ch.Size)
}

func (e *evaluator) base(bi diff.BaseImage) {
	if bi.Source == diff.BaseFromLayers {
		e.addDefault(BaseImageChanged, "base image",
			"the bottom layer differs (no base-image annotations to say more)")
		return
	}
	subject := bi.After.Name
	if subject == "" {
		subject = "base image"
	}
	msg := baseName(bi.Before) + " → " + baseName(bi.After)
	if bi.Before.Name != bi.After.Name {
		e.add(BaseImageChanged, Medium, subject, msg)
		return
	}
	e.addDefault(BaseImageChanged, subject, msg)
}

func baseName(r diff.BaseRef) string {
	switch {
	case r.Name == "":
		return shortDigest(r.Digest)
	case r.Digest == "":
		return r.Name
	}
	return r.Name + "@" + shortDigest(r.Digest)
}

func shortDigest(d string) string {
	algo, hex, ok := strings.Cut(d, ":")
	if ok && len(hex) > 12 {
		return algo + ":" + hex[:12]
	}
	return d
}

func (e *evaluator) size(s diff.Size) {
	grow := s.After - s.Before
	if grow > 0 {
		pct := units.Growth(s.Before, s.After)
		overPct := e.pol.SizePercent > 0 && pct >= e.pol.SizePercent
		overBytes := e.pol.SizeBytes > 0 && grow >= e.pol.SizeBytes
		if overPct || overBytes {
			e.addDefault(SizeIncrease, "image size", fmt.Sprintf("%s → %s (+%s, %s)",
				units.Bytes(s.Before), units.Bytes(s.After), units.Bytes(grow), units.Percent(s.Before, s.After)))
		}
	}
	if n := s.FilesAfter - s.FilesBefore; e.pol.Files > 0 && n >= e.pol.Files {
		e.addDefault(FilesIncrease, "files", fmt.Sprintf("%d → %d paths (+%d)", s.FilesBefore, s.FilesAfter, n))
	}
}

func osName(o inventory.OS) string {
	if o.PrettyName != "" {
		return o.PrettyName
	}
	if s := strings.TrimSpace(o.ID + " " + o.VersionID); s != "" {
		return s
	}
	return "(unknown)"
}
