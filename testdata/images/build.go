//go:build ignore

// build.go writes a docker-archive image whose layers are the
// differences between successive root filesystem directories, the way a
// container builder snapshots a file system after each step. Output is
// deterministic: sorted entries, one fixed mtime, no user or group names,
// gzip without timestamps.
//
//	go run build.go -out base.tar -tag NAME:TAG -created 2026-01-01T00:00:00Z \
//	    -mtime 1767225600 -user app -env K=V -expose 8080/tcp -cmd /bin/sh \
//	    -layer 'EMPTY|ROOTFS1|created by' -layer 'ROOTFS1|ROOTFS2|created by'
package main

import (
	"archive/tar"
	"bytes"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(s string) error { *m = append(*m, s); return nil }

func main() {
	var (
		out                              = flag.String("out", "", "docker-archive to write")
		tag                              = flag.String("tag", "", "repository:tag recorded in manifest.json")
		created                          = flag.String("created", "", "image creation time, RFC 3339")
		mtime                            = flag.Int64("mtime", 0, "modification time of every file, seconds since the epoch")
		user                             = flag.String("user", "", "config User")
		workdir                          = flag.String("workdir", "", "config WorkingDir")
		envs, ports, cmd, labels, layers multi
	)
	flag.Var(&envs, "env", "config Env entry KEY=VALUE (repeatable)")
	flag.Var(&ports, "expose", "exposed port such as 8080/tcp (repeatable)")
	flag.Var(&cmd, "cmd", "config Cmd element (repeatable)")
	flag.Var(&labels, "label", "config label KEY=VALUE (repeatable)")
	flag.Var(&layers, "layer", "PREV_DIR|CUR_DIR|CREATED_BY (repeatable, bottom first)")
	flag.Parse()
	if *out == "" || *tag == "" || *created == "" || len(layers) == 0 {
		flag.Usage()
		os.Exit(2)
	}
	when, err := time.Parse(time.RFC3339, *created)
	if err != nil {
		log.Fatal(err)
	}
	mt := time.Unix(*mtime, 0).UTC()

	img := empty.Image
	for _, spec := range layers {
		parts := strings.SplitN(spec, "|", 3)
		if len(parts) != 3 {
			log.Fatalf("-layer %q: want PREV|CUR|CREATED_BY", spec)
		}
		b, err := diffLayer(parts[0], parts[1], mt)
		if err != nil {
			log.Fatal(err)
		}
		l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(b)), nil
		})
		if err != nil {
			log.Fatal(err)
		}
		img, err = mutate.Append(img, mutate.Addendum{Layer: l, History: v1.History{
			Created: v1.Time{Time: when}, CreatedBy: parts[2],
		}})
		if err != nil {
			log.Fatal(err)
		}
	}
	cf, err := img.ConfigFile()
	if err != nil {
		log.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture = "linux", "amd64"
	cf.Created = v1.Time{Time: when}
	cf.Config.User = *user
	cf.Config.WorkingDir = *workdir
	cf.Config.Env = envs
	cf.Config.Cmd = cmd
	if len(ports) > 0 {
		cf.Config.ExposedPorts = map[string]struct{}{}
		for _, p := range ports {
			cf.Config.ExposedPorts[p] = struct{}{}
		}
	}
	if len(labels) > 0 {
		cf.Config.Labels = map[string]string{}
		for _, kv := range labels {
			k, v, _ := strings.Cut(kv, "=")
			cf.Config.Labels[k] = v
		}
	}
	cf.History = append(cf.History, configHistory(cf.Config, when)...)
	if img, err = mutate.ConfigFile(img, cf); err != nil {
		log.Fatal(err)
	}
	ref, err := name.NewTag(*tag)
	if err != nil {
		log.Fatal(err)
	}
	if err := tarball.WriteToFile(*out, ref, img); err != nil {
		log.Fatal(err)
	}
	d, _ := img.Digest()
	fmt.Printf("%s %s\n", *out, d)
}

// configHistory records the config settings as the empty-layer history
// entries a Dockerfile's ENV, EXPOSE, LABEL, USER, WORKDIR and CMD leave.
func configHistory(c v1.Config, when time.Time) []v1.History {
	var steps []string
	for _, e := range c.Env {
		steps = append(steps, "ENV "+e)
	}
	var ports []string
	for p := range c.ExposedPorts {
		ports = append(ports, p)
	}
	sort.Strings(ports)
	for _, p := range ports {
		steps = append(steps, "EXPOSE "+p)
	}
	var keys []string
	for k := range c.Labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		steps = append(steps, "LABEL "+k+"="+c.Labels[k])
	}
	if c.User != "" {
		steps = append(steps, "USER "+c.User)
	}
	if c.WorkingDir != "" {
		steps = append(steps, "WORKDIR "+c.WorkingDir)
	}
	if len(c.Cmd) > 0 {
		steps = append(steps, fmt.Sprintf("CMD %q", c.Cmd))
	}
	out := make([]v1.History, 0, len(steps))
	for _, s := range steps {
		out = append(out, v1.History{Created: v1.Time{Time: when}, CreatedBy: s, EmptyLayer: true})
	}
	return out
}

// node is one path of a root filesystem, as a layer records it.
type node struct {
	info fs.FileInfo
	link string // symlink target
	ino  uint64
	uid  int
	gid  int
}

func scan(root string) (map[string]node, error) {
	nodes := map[string]node{}
	if root == "" {
		return nodes, nil
	}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == root {
			return err
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		n := node{info: fi}
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			n.ino, n.uid, n.gid = st.Ino, int(st.Uid), int(st.Gid)
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			if n.link, err = os.Readlink(p); err != nil {
				return err
			}
		}
		nodes[filepath.ToSlash(rel)] = n
		return nil
	})
	return nodes, err
}

// same reports whether a path is unchanged between two snapshots.
func same(prevRoot, curRoot, p string, a, b node) bool {
	if a.info.Mode() != b.info.Mode() || a.uid != b.uid || a.gid != b.gid || a.link != b.link {
		return false
	}
	if !a.info.Mode().IsRegular() {
		return true
	}
	if a.info.Size() != b.info.Size() {
		return false
	}
	x, err1 := os.ReadFile(filepath.Join(prevRoot, p))
	y, err2 := os.ReadFile(filepath.Join(curRoot, p))
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

// diffLayer returns an uncompressed tar of what changed from prev to cur:
// new or changed paths with their parent directories, and a whiteout for
// each removed path whose parent survives.
func diffLayer(prev, cur string, mt time.Time) ([]byte, error) {
	before, err := scan(prev)
	if err != nil {
		return nil, err
	}
	after, err := scan(cur)
	if err != nil {
		return nil, err
	}
	emit := map[string]bool{}
	for p, n := range after {
		if o, ok := before[p]; !ok || !same(prev, cur, p, o, n) {
			for q := p; q != "."; q = path.Dir(q) {
				emit[q] = true
			}
		}
	}
	var whiteouts []string
	for p := range before {
		if _, ok := after[p]; ok {
			continue
		}
		if parent := path.Dir(p); parent == "." || after[parent].info != nil {
			whiteouts = append(whiteouts, p)
			for q := parent; q != "."; q = path.Dir(q) {
				emit[q] = true
			}
		}
	}
	paths := make([]string, 0, len(emit)+len(whiteouts))
	for p := range emit {
		paths = append(paths, p)
	}
	for _, p := range whiteouts {
		paths = append(paths, path.Join(path.Dir(p), ".wh."+path.Base(p)))
	}
	sort.Strings(paths)

	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	firstByInode := map[uint64]string{}
	for _, p := range paths {
		hdr := &tar.Header{Name: p, ModTime: mt}
		if strings.HasPrefix(path.Base(p), ".wh.") {
			hdr.Typeflag, hdr.Mode = tar.TypeReg, 0o644
			if err := tw.WriteHeader(hdr); err != nil {
				return nil, err
			}
			continue
		}
		n := after[p]
		h, err := tar.FileInfoHeader(n.info, n.link)
		if err != nil {
			return nil, err
		}
		h.Name, h.ModTime, h.AccessTime, h.ChangeTime = p, mt, time.Time{}, time.Time{}
		h.Uid, h.Gid, h.Uname, h.Gname = n.uid, n.gid, "", ""
		if n.info.IsDir() {
			h.Name += "/"
		}
		if n.info.Mode().IsRegular() && n.info.Sys().(*syscall.Stat_t).Nlink > 1 {
			if first, ok := firstByInode[n.ino]; ok {
				h.Typeflag, h.Linkname, h.Size = tar.TypeLink, first, 0
			} else {
				firstByInode[n.ino] = p
			}
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if h.Typeflag == tar.TypeReg && h.Size > 0 {
			b, err := os.ReadFile(filepath.Join(cur, p))
			if err != nil {
				return nil, err
			}
			if _, err := tw.Write(b); err != nil {
				return nil, err
			}
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
