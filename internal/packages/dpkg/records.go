package dpkg

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// What dpkg records of the files each package installed.
const (
	infoDir        = "/var/lib/dpkg/info"
	diversionsPath = "/var/lib/dpkg/diversions"
	// A .list file names every path of one package: a few hundred KB for
	// the largest (a JDK, a kernel's modules); the cap bounds what the
	// pass keeps of one.
	maxList       = 32 << 20
	maxDiversions = 4 << 20
	// distroless status.d/NAME.md5sums are kept whole: with no .list
	// beside them, they are the only record of the package's paths.
	maxStatusMD5 = 16 << 20
)

// records are the ownership files of one image, by package key (the
// file name without its extension: "bash", "libc6:amd64").
type records struct {
	lists      map[string]string // key → the .list file's path
	listData   map[string]*list
	info       map[string][]string // key → every file of info/ for it
	md5        map[string]md5sums
	statusMD5  map[string][]byte // status.d key → md5sums content
	diversions map[string]diversion
}

// diversion is one entry of /var/lib/dpkg/diversions: the files other
// packages ship at a path are installed under another name.
type diversion struct{ to, by string }

func newRecords() *records {
	return &records{lists: map[string]string{}, listData: map[string]*list{}, info: map[string][]string{}, md5: map[string]md5sums{},
		statusMD5: map[string][]byte{}, diversions: map[string]diversion{}}
}

// matchRecord returns the extractor of an ownership record, nil for
// other files.
func matchRecord(p string) packages.Extractor {
	dir, base := path.Split(p)
	switch {
	case dir == infoDir+"/" && strings.HasSuffix(base, ".list"):
		return &listExtractor{}
	case dir == infoDir+"/" && strings.HasSuffix(base, ".md5sums"):
		return &md5sumsExtractor{}
	case dir == infoDir+"/" && strings.IndexByte(base, '.') > 0:
		return infoFile{}
	case dir == statusDir+"/" && strings.HasSuffix(base, ".md5sums"):
		return packages.Capture(maxStatusMD5)
	case p == diversionsPath:
		return packages.Capture(maxDiversions)
	}
	return nil
}

// infoFile stands for a file of info/ other than the records read here
// (maintainer scripts, conffiles lists, triggers): the package it belongs
// to owns it, but its content is not needed.
type infoFile struct{}

func (infoFile) Write(p []byte) (int, error) { return len(p), nil }
func (infoFile) Result() (any, error)        { return infoFile{}, nil }

// add takes a captured record; false when f is not one.
func (r *records) add(f packages.File, warn func(string)) bool {
	dir, base := path.Split(f.Path)
	if dir == infoDir+"/" {
		if dot := strings.LastIndexByte(base, '.'); dot > 0 {
			r.info[base[:dot]] = append(r.info[base[:dot]], f.Path)
		}
	}
	switch {
	case dir == infoDir+"/" && !strings.HasSuffix(base, ".list") && !strings.HasSuffix(base, ".md5sums"):
		_, ok := f.Data.(infoFile)
		return ok
	case dir == infoDir+"/" && strings.HasSuffix(base, ".list"):
		if l, ok := f.Data.(*list); ok {
			key := strings.TrimSuffix(base, ".list")
			r.lists[key], r.listData[key] = f.Path, l
		} else {
			warn(fmt.Sprintf("no captured content (%T)", f.Data))
		}
	case dir == infoDir+"/" && strings.HasSuffix(base, ".md5sums"):
		if m, ok := f.Data.(*md5Result); ok {
			r.md5[strings.TrimSuffix(base, ".md5sums")] = m.sums
			if m.bad > 0 {
				warn(fmt.Sprintf("%d lines are not \"MD5  PATH\"", m.bad))
			}
		}
	case dir == statusDir+"/" && strings.HasSuffix(base, ".md5sums"):
		if data, w := captured(f); w != "" {
			warn(w)
		} else {
			r.statusMD5[strings.TrimSuffix(base, ".md5sums")] = data
		}
	case f.Path == diversionsPath:
		if data, w := captured(f); w != "" {
			warn(w)
		} else if err := r.readDiversions(data); err != "" {
			warn(err)
		}
	default:
		return false
	}
	return true
}

// readDiversions reads the diversions file: three lines per diversion,
// the path, where other packages' files go instead, and the diverting
// package (":" for a local diversion).
func (r *records) readDiversions(data []byte) string {
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(data) == 0 {
		return ""
	}
	if len(lines)%3 != 0 {
		return fmt.Sprintf("%d lines, not a multiple of three (path, diverted to, package); not read", len(lines))
	}
	for i := 0; i < len(lines); i += 3 {
		from, to, by := lines[i], lines[i+1], lines[i+2]
		if strings.HasPrefix(from, "/") && strings.HasPrefix(to, "/") {
			r.diversions[from] = diversion{to: to, by: by}
		}
	}
	return ""
}

// owned is what the records say package i (in) installed: its .list
// paths with their MD5 sums, its conffiles with theirs, or for a
// distroless status.d package, the paths of its md5sums file. The paths
// are read from the records when the claim is joined.
func (r *records) owned(i int, in *installed, stanzaFile string) (packages.Owned, []string) {
	o := packages.Owned{Package: i}
	p := &in.pkg
	key := p.Name + ":" + p.Arch
	if _, ok := r.lists[key]; !ok {
		key = p.Name
	}
	listPath, hasList := r.lists[key]
	md5s, hasMD5 := r.statusMD5[path.Base(stanzaFile)]
	hasMD5 = hasMD5 && !hasList && path.Dir(stanzaFile) == statusDir
	var problems []string
	switch {
	case hasList:
		o.Record = listPath
	case hasMD5:
		o.Record = stanzaFile
		if bad := badMD5Lines(md5s); bad > 0 {
			problems = append(problems, fmt.Sprintf("%s.md5sums: %d lines are not \"MD5  PATH\"", stanzaFile, bad))
		}
	}
	info, data, sums, conffiles := r.info[key], r.listData[key], r.md5[key], in.conffiles
	o.Files = func(yield func(packages.OwnedFile) bool) {
		// dpkg's own files for the package (the records, maintainer
		// scripts) come and go with it.
		for _, f := range info {
			if !yield(packages.OwnedFile{Path: f}) {
				return
			}
		}
		if data == nil {
			data = &list{}
		}
		for line := range data.paths() {
			if len(line) < 2 || line[0] != '/' || string(line) == "/." {
				continue // the root every package lists, and what is not a path
			}
			f := packages.OwnedFile{Path: r.diverted(string(line), p.Name)}
			if sum, ok := sums.lookup(line); ok {
				f.Digest = packages.Digest{Algo: packages.MD5}
				copy(f.Digest.Sum[:], sum[:])
			}
			if !yield(f) {
				return
			}
		}
		if hasMD5 {
			for line := range bytes.Lines(md5s) {
				if sum, name, ok := md5Line(bytes.TrimRight(line, "\n")); ok {
					d := packages.Digest{Algo: packages.MD5}
					copy(d.Sum[:], sum[:])
					if !yield(packages.OwnedFile{Path: r.diverted("/"+string(name), p.Name), Digest: d}) {
						return
					}
				}
			}
		}
		for _, c := range conffiles {
			if !yield(packages.OwnedFile{Path: r.diverted(c.path, p.Name), Digest: packages.HexDigest(packages.MD5, c.md5), Config: true}) {
				return
			}
		}
	}
	return o, problems
}

func badMD5Lines(data []byte) int {
	bad := 0
	for line := range bytes.Lines(data) {
		if _, _, ok := md5Line(bytes.TrimRight(line, "\n")); !ok && len(bytes.TrimSpace(line)) > 0 {
			bad++
		}
	}
	return bad
}

// diverted is where the file that pkg ships at p is: under the
// diversion's name unless pkg is the diverting package.
func (r *records) diverted(p, pkg string) string {
	if d, ok := r.diversions[p]; ok && d.by != pkg {
		return d.to
	}
	return p
}
