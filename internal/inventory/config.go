package inventory

import (
	"sort"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// convertConfig keeps the config fields a reviewer compares.
func convertConfig(cf *v1.ConfigFile) Config {
	c := Config{
		OS:           cf.OS,
		Architecture: cf.Architecture,
		Variant:      cf.Variant,
		User:         cf.Config.User,
		Env:          cf.Config.Env,
		Entrypoint:   cf.Config.Entrypoint,
		Cmd:          cf.Config.Cmd,
		WorkingDir:   cf.Config.WorkingDir,
		ExposedPorts: sortedKeys(cf.Config.ExposedPorts),
		Volumes:      sortedKeys(cf.Config.Volumes),
		StopSignal:   cf.Config.StopSignal,
	}
	if len(cf.Config.Labels) > 0 {
		c.Labels = cf.Config.Labels
	}
	if !cf.Created.IsZero() {
		t := cf.Created.UTC()
		c.Created = &t
	}
	if hc := cf.Config.Healthcheck; hc != nil {
		c.Healthcheck = hc.Test
	}
	for _, h := range cf.History {
		e := History{CreatedBy: h.CreatedBy, Comment: h.Comment, EmptyLayer: h.EmptyLayer}
		if !h.Created.IsZero() {
			t := h.Created.UTC()
			e.Created = &t
		}
		c.History = append(c.History, e)
	}
	return c
}

// layerHistory returns the created_by of the history entries that made a
// layer, in layer order.
func layerHistory(cf *v1.ConfigFile) []string {
	var out []string
	for _, h := range cf.History {
		if !h.EmptyLayer {
			out = append(out, h.CreatedBy)
		}
	}
	if len(out) != len(cf.RootFS.DiffIDs) {
		return nil // history does not line up with the layers: do not guess
	}
	return out
}

func sortedKeys(m map[string]struct{}) []string {
	if len(m) == 0 {
		return nil
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
