package golang

import (
	"errors"
	"runtime/debug"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// A Go executable's build info, as the layer cache stores it: every
// field of debug.BuildInfo, so that what the cataloger reads from a
// stored entry is what it would read from the file.
func init() {
	packages.RegisterCapture("go.binary", func(w *packages.CaptureWriter, b *Binary) bool {
		if b == nil {
			return false
		}
		w.String(b.GoVersion)
		w.Bool(b.Info != nil)
		if bi := b.Info; bi != nil {
			w.String(bi.GoVersion)
			w.String(bi.Path)
			if !writeModule(w, &bi.Main, 0) {
				return false
			}
			w.Uint(uint64(len(bi.Deps)))
			for _, d := range bi.Deps {
				if !writeModulePtr(w, d, 0) {
					return false
				}
			}
			w.Uint(uint64(len(bi.Settings)))
			for _, s := range bi.Settings {
				w.String(s.Key)
				w.String(s.Value)
			}
		}
		return true
	}, func(r *packages.CaptureReader) *Binary {
		b := &Binary{GoVersion: r.String()}
		if !r.Bool() {
			return b
		}
		bi := &debug.BuildInfo{GoVersion: r.String(), Path: r.String()}
		readModule(r, &bi.Main, 0)
		if n := r.Count(1); n > 0 {
			bi.Deps = make([]*debug.Module, n)
			for i := range bi.Deps {
				bi.Deps[i] = readModulePtr(r, 0)
			}
		}
		if n := r.Count(2); n > 0 {
			bi.Settings = make([]debug.BuildSetting, n)
			for i := range bi.Settings {
				bi.Settings[i] = debug.BuildSetting{Key: r.String(), Value: r.String()}
			}
		}
		b.Info = bi
		return b
	})
}

// maxReplace bounds the chain of replacements a stored module may claim;
// the build info format has one level.
const maxReplace = 4

var errDeepReplace = errors.New("module replacements nested too deep")

func writeModule(w *packages.CaptureWriter, m *debug.Module, depth int) bool {
	w.String(m.Path)
	w.String(m.Version)
	w.String(m.Sum)
	return writeModulePtr(w, m.Replace, depth+1)
}

func writeModulePtr(w *packages.CaptureWriter, m *debug.Module, depth int) bool {
	w.Bool(m != nil)
	if m == nil {
		return true
	}
	if depth > maxReplace {
		return false
	}
	return writeModule(w, m, depth)
}

func readModule(r *packages.CaptureReader, m *debug.Module, depth int) {
	m.Path, m.Version, m.Sum = r.String(), r.String(), r.String()
	m.Replace = readModulePtr(r, depth+1)
}

func readModulePtr(r *packages.CaptureReader, depth int) *debug.Module {
	if !r.Bool() {
		return nil
	}
	if depth > maxReplace {
		r.Fail(errDeepReplace)
		return nil
	}
	m := &debug.Module{}
	readModule(r, m, depth)
	return m
}
