package rpm

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkBlobs reads the largest real database available (see
// realDatabases), else the test database, without the capture step.
func BenchmarkBlobs(b *testing.B) {
	path := "testdata/Packages"
	if out, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil {
		if dbs, _ := filepath.Glob(filepath.Join(strings.TrimSpace(string(out)), "github.com/knqyf263/go-rpmdb@*/pkg/testdata/centos7-many/Packages")); len(dbs) > 0 {
			path = dbs[0]
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		blobs, problems, err := bdbBlobs(data)
		if err != nil || len(problems) > 0 || len(blobs) == 0 {
			b.Fatal(err, problems)
		}
		for _, bl := range blobs {
			if _, err := parseHeader(bl); err != nil {
				b.Fatal(err)
			}
		}
	}
}
