package buildtest

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// baseTools are the host's programs a test Dockerfile's RUN may call.
var baseTools = []string{"sh", "cat", "date", "mkdir", "head", "od", "chmod", "rm", "ls", "touch", "sleep"}

var (
	baseOnce sync.Once
	baseTag  string
	baseErr  string
)

// Base returns a local image that Dockerfiles can start FROM and RUN
// shell commands in, with nothing pulled: a root file system made of the
// host's own programs (and the libraries they load), passwd and group,
// imported with docker import. Its tag is named after its content, so the
// import happens once per machine. The test is skipped when the host's
// programs cannot be gathered.
func Base(t testing.TB) string {
	t.Helper()
	RequireDocker(t)
	baseOnce.Do(func() { baseTag, baseErr = importBase() })
	if baseErr != "" {
		t.Skipf("no local base image: %s", baseErr)
	}
	return baseTag
}

func importBase() (tag, problem string) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	files, err := baseFiles()
	if err != nil {
		return "", err.Error()
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	// A fixed time: the same host gives the same archive, hence the same tag.
	mtime := time.Unix(1700000000, 0)
	dirs := map[string]bool{}
	for _, n := range names {
		for d := filepath.Dir(n); d != "."; d = filepath.Dir(d) {
			dirs[d] = true
		}
	}
	dirList := make([]string, 0, len(dirs))
	for d := range dirs {
		dirList = append(dirList, d)
	}
	sort.Strings(dirList)
	for _, d := range append(dirList, "tmp") {
		mode := int64(0o755)
		if d == "tmp" {
			mode = 0o1777
		}
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d + "/", Mode: mode, ModTime: mtime})
	}
	for _, n := range names {
		f := files[n]
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: n, Mode: f.mode, Size: int64(len(f.data)), ModTime: mtime})
		tw.Write(f.data)
	}
	if err := tw.Close(); err != nil {
		return "", err.Error()
	}
	sum := sha256.Sum256(buf.Bytes())
	tag = "imagedrift-test/base:" + hex.EncodeToString(sum[:6])
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if exec.CommandContext(ctx, "docker", "image", "inspect", tag).Run() == nil {
		return tag, ""
	}
	cmd := exec.CommandContext(ctx, "docker", "import", "-c", `CMD ["/bin/sh"]`, "-", tag)
	cmd.Stdin = &buf
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", "docker import: " + err.Error() + ": " + firstLine(string(out))
	}
	return tag, ""
}

type baseFile struct {
	data []byte
	mode int64
}

var lddPath = regexp.MustCompile(`(/[^ ]+) \(0x`)

// baseFiles gathers the tools under bin/ and the libraries they load at
// the paths the loader looks for them.
func baseFiles() (map[string]baseFile, error) {
	files := map[string]baseFile{
		"etc/passwd": {[]byte("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n"), 0o644},
		"etc/group":  {[]byte("root:x:0:\nnogroup:x:65534:\n"), 0o644},
	}
	for _, tool := range baseTools {
		p, err := exec.LookPath(tool)
		if err != nil {
			return nil, err
		}
		real, err := filepath.EvalSymlinks(p)
		if err != nil {
			return nil, err
		}
		data, err := os.ReadFile(real)
		if err != nil {
			return nil, err
		}
		files["bin/"+tool] = baseFile{data, 0o755}
		out, err := exec.Command("ldd", real).Output()
		if err != nil {
			continue // a static program needs no libraries
		}
		for _, m := range lddPath.FindAllStringSubmatch(string(out), -1) {
			lib := strings.TrimPrefix(m[1], "/")
			if _, ok := files[lib]; ok {
				continue
			}
			data, err := os.ReadFile(m[1])
			if err != nil {
				return nil, err
			}
			files[lib] = baseFile{data, 0o755}
		}
	}
	return files, nil
}
