package risk

import (
	"fmt"
	"strings"

	"github.com/imagedrift/imagedrift/internal/diff"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/packages"
)

func pkgSubject(eco, name string) string { return eco + ":" + name }

func (e *evaluator) packages(pc *diff.PackageChanges) {
	allow, _ := diff.CompilePackages(e.pol.AllowMajor)
	// A language package that came with its distribution package is one
	// change with it: the distribution package's risk stands for both.
	for i := range pc.Changed {
		c := &pc.Changed[i]
		if c.OwnedBy != "" {
			continue
		}
		subject := pkgSubject(c.Ecosystem, c.Name)
		what := fmt.Sprintf("%s → %s", c.From, c.To)
		if c.PreviousName != "" {
			what = fmt.Sprintf("%s %s → %s %s", c.PreviousName, c.From, c.Name, c.To)
		}
		switch c.Bump {
		case packages.BumpMajor:
			if !allow.Match(c.Ecosystem, c.Name) && !allow.Match(c.Ecosystem, c.PreviousName) {
				e.addDefault(MajorBump, subject, "major version bump "+what)
			}
		case packages.BumpDowngrade:
			e.addDefault(Downgrade, subject, "downgraded "+what)
		}
	}
	for _, p := range pc.Removed {
		if p.OwnedBy == "" {
			e.addDefault(PackageRemoved, pkgSubject(p.Ecosystem, p.Name), "removed (was "+p.Version+")")
		}
	}
	for _, p := range pc.Added {
		if p.OwnedBy == "" {
			e.addDefault(PackageAdded, pkgSubject(p.Ecosystem, p.Name), "added at "+p.Version)
		}
	}
}

func (e *evaluator) files(ch *diff.Changes) {
	fc := &ch.Files
	for i := range fc.Entries {
		c := &fc.Entries[i]
		if c.Kind == diff.Removed {
			continue
		}
		e.provenance(ch, c)
		a, b := &c.After, &c.Before
		if bits := a.Mode & 06000 &^ b.Mode; bits != 0 && a.Type == inventory.TypeFile {
			e.addDefault(SetuidAdded, c.Path, fmt.Sprintf("%s bit set (mode %04o, owner %d:%d)", suidName(bits), a.Mode, a.UID, a.GID))
		}
		if worldWritable(a) && !worldWritable(b) {
			e.addDefault(WorldWritableAdded, c.Path, fmt.Sprintf("world-writable %s (mode %04o)", a.Type, a.Mode))
		}
	}
}

// provenance raises what ownership tells of a file the head adds or
// changes: an executable no package installed, a packaged file edited
// after the install.
func (e *evaluator) provenance(ch *diff.Changes, c *diff.FileChange) {
	a := &c.After
	if c.Kind != diff.Added && c.Kind != diff.Modified || a.Type != inventory.TypeFile {
		return
	}
	from := ""
	if w := ch.Origins[1].Where(int(a.Layer)); w != "" {
		from = ", from " + w
	}
	verb := "changed"
	if c.Kind == diff.Added {
		verb = "added"
	}
	switch {
	case c.Owner == "" && ch.Ownership[1] && a.Executable != inventory.ExecutableNone:
		what := "ELF executable"
		if a.Executable == inventory.ExecutableScript {
			what = "script"
		}
		e.addDefault(UnownedExecutable, c.Path, fmt.Sprintf("%s %s that no package installed%s", what, verb, from))
	case c.Owner != "" && a.Modified && a.Conffile:
		e.addDefault(ConffileModified, c.Path, fmt.Sprintf("configuration file of %s edited%s", c.Owner, from))
	case c.Owner != "" && a.Modified:
		e.addDefault(PackageFileModified, c.Path, fmt.Sprintf("content differs from what %s installed%s", c.Owner, from))
	}
}

func suidName(bits uint32) string {
	switch bits {
	case 04000:
		return "setuid"
	case 02000:
		return "setgid"
	}
	return "setuid and setgid"
}

// worldWritable leaves out symlinks (their mode means nothing) and sticky
// directories such as /tmp, where only owners may delete.
func worldWritable(f *inventory.File) bool {
	switch {
	case f.Type == 0 || f.Type == inventory.TypeSymlink: // 0: no file
		return false
	case f.Type == inventory.TypeDir && f.Mode&01000 != 0:
		return false
	}
	return f.Mode&0o002 != 0
}

func (e *evaluator) config(cs []diff.ConfigChange) {
	for _, c := range cs {
		switch c.Field {
		case diff.FieldUser:
			if isRoot(c.After) && !isRoot(c.Before) {
				e.addDefault(UserRoot, "user", fmt.Sprintf("runs as root now (user was %s)", show(c.Before)))
			}
		case diff.FieldEntrypoint:
			e.addDefault(EntrypointChanged, "entrypoint", show(c.Before)+" → "+show(c.After))
		case diff.FieldCmd:
			// What runs changes as much with cmd, but a new cmd is the
			// routine case: one level lower.
			e.add(EntrypointChanged, Low, "cmd", show(c.Before)+" → "+show(c.After))
		case diff.FieldPorts:
			e.addDefault(PortsChanged, "ports", show(c.Before)+" → "+show(c.After))
		case diff.FieldEnv:
			e.addDefault(EnvChanged, c.Key, envMessage(c))
		}
	}
}

// isRoot: an empty user, "root", uid 0, with or without a group.
func isRoot(u *string) bool {
	if u == nil {
		return true
	}
	name, _, _ := strings.Cut(*u, ":")
	return name == "" || name == "root" || name == "0"
}

func show(s *string) string {
	if s == nil {
		return "(unset)"
	}
	return *s
}

func envMessage(c diff.ConfigChange) string {
	switch {
	case c.Before == nil:
		return "set to " + show(c.After)
	case c.After == nil:
		return "unset (was " + show(c.Before) + ")"
	}
	return show(c.Before) + " → " + show(c.After)
}
