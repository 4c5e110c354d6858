package diff

import (
	"cmp"
	"encoding/json"
	"slices"
	"strings"

	"github.com/imagedrift/imagedrift/internal/inventory"
)

// ConfigChange is one config field that differs. Key names the variable or
// label for "env" and "labels". Before or After is nil when unset; lists
// (cmd, entrypoint, healthcheck, ports, volumes) are JSON arrays.
type ConfigChange struct {
	Field         string
	Key           string
	Before, After *string
}

// Config fields, as they appear in ConfigChange.Field.
const (
	FieldEnv         = "env"
	FieldCmd         = "cmd"
	FieldEntrypoint  = "entrypoint"
	FieldUser        = "user"
	FieldWorkdir     = "workdir"
	FieldPorts       = "ports"
	FieldVolumes     = "volumes"
	FieldLabels      = "labels"
	FieldHealthcheck = "healthcheck"
	FieldStopSignal  = "stopSignal"
	FieldPlatform    = "platform"
	FieldOS          = "os"
)

// Redacted replaces the value of an environment variable whose name says
// it holds a secret: reports end up in PR comments.
const Redacted = "(redacted)"

// timestampLabels change on every build; like file times, they are not
// a change.
var timestampLabels = map[string]bool{
	"org.opencontainers.image.created": true,
	"org.label-schema.build-date":      true,
}

func compareConfig(base, head *inventory.Inventory) []ConfigChange {
	a, b := &base.Config, &head.Config
	var out []ConfigChange
	scalar := func(field, x, y string) {
		if x != y {
			out = append(out, ConfigChange{Field: field, Before: optional(x), After: optional(y)})
		}
	}
	list := func(field string, x, y []string) {
		if !slices.Equal(x, y) {
			out = append(out, ConfigChange{Field: field, Before: jsonList(x), After: jsonList(y)})
		}
	}
	out = append(out, compareEnv(a.Env, b.Env)...)
	list(FieldCmd, a.Cmd, b.Cmd)
	list(FieldEntrypoint, a.Entrypoint, b.Entrypoint)
	scalar(FieldUser, a.User, b.User)
	scalar(FieldWorkdir, a.WorkingDir, b.WorkingDir)
	list(FieldPorts, sortedCopy(a.ExposedPorts), sortedCopy(b.ExposedPorts))
	list(FieldVolumes, sortedCopy(a.Volumes), sortedCopy(b.Volumes))
	out = append(out, compareLabels(a.Labels, b.Labels)...)
	list(FieldHealthcheck, a.Healthcheck, b.Healthcheck)
	scalar(FieldStopSignal, a.StopSignal, b.StopSignal)
	scalar(FieldPlatform, platform(base), platform(head))
	if o := compareOS(base.OS, head.OS); o.Changed || o.Before.PrettyName != o.After.PrettyName {
		scalar(FieldOS, osName(base.OS), osName(head.OS))
	}
	slices.SortStableFunc(out, func(x, y ConfigChange) int {
		return cmp.Or(cmp.Compare(x.Field, y.Field), cmp.Compare(x.Key, y.Key))
	})
	return out
}

func compareEnv(a, b []string) []ConfigChange {
	x, y := envMap(a), envMap(b)
	var out []ConfigChange
	for _, k := range unionKeys(x, y) {
		vx, okx := x[k]
		vy, oky := y[k]
		if okx == oky && vx == vy {
			continue
		}
		c := ConfigChange{Field: FieldEnv, Key: k}
		if okx {
			c.Before = redact(k, vx)
		}
		if oky {
			c.After = redact(k, vy)
		}
		out = append(out, c)
	}
	return out
}

func compareLabels(x, y map[string]string) []ConfigChange {
	var out []ConfigChange
	for _, k := range unionKeys(x, y) {
		vx, okx := x[k]
		vy, oky := y[k]
		if (okx == oky && vx == vy) || timestampLabels[k] {
			continue
		}
		c := ConfigChange{Field: FieldLabels, Key: k}
		if okx {
			c.Before = &vx
		}
		if oky {
			c.After = &vy
		}
		out = append(out, c)
	}
	return out
}

// envMap reads KEY=VALUE entries; a later entry wins, as in Docker.
func envMap(env []string) map[string]string {
	m := make(map[string]string, len(env))
	for _, e := range env {
		k, v, _ := strings.Cut(e, "=")
		m[k] = v
	}
	return m
}

func unionKeys(x, y map[string]string) []string {
	keys := make([]string, 0, len(x)+len(y))
	for k := range x {
		keys = append(keys, k)
	}
	for k := range y {
		if _, ok := x[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// secretWords in a variable name make its value redacted.
var secretWords = []string{"PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY",
	"PRIVATE_KEY", "ACCESS_KEY", "CREDENTIAL", "AUTH"}

// SecretName reports whether an environment variable name suggests a
// secret value.
func SecretName(name string) bool {
	u := strings.ToUpper(name)
	for _, w := range secretWords {
		if strings.Contains(u, w) {
			return true
		}
	}
	return false
}

func redact(k, v string) *string {
	if SecretName(k) && v != "" {
		r := Redacted
		return &r
	}
	return &v
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func jsonList(l []string) *string {
	if len(l) == 0 {
		return nil
	}
	b, _ := json.Marshal(l) // []string always marshals
	s := string(b)
	return &s
}

func sortedCopy(l []string) []string {
	c := slices.Clone(l)
	slices.Sort(c)
	return c
}

func platform(inv *inventory.Inventory) string {
	if inv.Platform != "" {
		return inv.Platform
	}
	c := &inv.Config
	if c.OS == "" && c.Architecture == "" {
		return ""
	}
	p := c.OS + "/" + c.Architecture
	if c.Variant != "" {
		p += "/" + c.Variant
	}
	return p
}

func osName(o inventory.OS) string {
	if o.PrettyName != "" {
		return o.PrettyName
	}
	return strings.TrimSpace(o.ID + " " + o.VersionID)
}
