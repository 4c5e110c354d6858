package rpm

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imagedrift/imagedrift/internal/packages"
)

const qf = `%{NAME}\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\t%|ARCH?{%{ARCH}}:{}|\t%|SOURCERPM?{%{SOURCERPM}}:{}|\n`

// realDatabases finds real rpm databases of CentOS 5 to 8 images: the
// Berkeley DB files go-rpmdb publishes as test data, when that module is
// in the Go module cache (go mod download github.com/knqyf263/go-rpmdb@v0.0.0-20210911072402-73bd0ce46c49).
func realDatabases(t *testing.T) []string {
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Skipf("go env: %v", err)
	}
	dbs, _ := filepath.Glob(filepath.Join(strings.TrimSpace(string(out)), "github.com/knqyf263/go-rpmdb@*/pkg/testdata/*/Packages"))
	if len(dbs) == 0 {
		t.Skip("no real rpm databases in the module cache (go mod download github.com/knqyf263/go-rpmdb@v0.0.0-20210911072402-73bd0ce46c49)")
	}
	if _, err := exec.LookPath("rpm"); err != nil {
		t.Skip("rpm not installed: nothing to compare with")
	}
	return dbs
}

// rpmQuery asks rpm itself about the database in dir.
func rpmQuery(t *testing.T, dir, backend string) string {
	t.Helper()
	out, err := exec.Command("rpm", "-qa", "--dbpath", dir, "--define", "_db_backend "+backend, "--qf", qf).Output()
	if err != nil {
		t.Fatalf("rpm -qa --dbpath %s: %v", dir, err)
	}
	f := filepath.Join(t.TempDir(), "rpm-qa.tsv")
	if err := os.WriteFile(f, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestRealDatabases reads real CentOS databases, and the same converted to
// SQLite by rpm --rebuilddb, and compares with rpm -qa on each.
// Converting takes rpm a few seconds per database, so only some are
// converted unless IMAGEDRIFT_RPM_ALL is set.
func TestRealDatabases(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: runs rpm on databases of up to 33 MB")
	}
	convert := map[string]bool{"centos5-plain": true, "centos8-modularitylabel": true}
	for _, db := range realDatabases(t) {
		name := filepath.Base(filepath.Dir(db))
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			data, err := os.ReadFile(db)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "Packages"), data, 0o644); err != nil {
				t.Fatal(err)
			}
			want := rpmQA(t, rpmQuery(t, dir, "bdb_ro"))
			start := time.Now()
			pkgs, warns := New().Catalog([]packages.File{capture(t, "/var/lib/rpm/Packages", data)})
			t.Logf("%s: %d packages from %d bytes of Berkeley DB in %v", name, len(pkgs), len(data), time.Since(start))
			for _, w := range warns {
				t.Errorf("warning: %s", w)
			}
			checkPackages(t, pkgs, want, "/var/lib/rpm/Packages")

			if !convert[name] && os.Getenv("IMAGEDRIFT_RPM_ALL") == "" {
				return
			}
			cmd := exec.Command("rpmdb", "--rebuilddb", "--dbpath", dir, "--define", "_db_backend sqlite")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Skipf("rpmdb --rebuilddb: %v: %s", err, out)
			}
			sqlite, err := os.ReadFile(filepath.Join(dir, "rpmdb.sqlite"))
			if err != nil {
				t.Fatalf("no rpmdb.sqlite after rebuild: %v", err)
			}
			want = rpmQA(t, rpmQuery(t, dir, "sqlite"))
			start = time.Now()
			pkgs, warns = New().Catalog([]packages.File{capture(t, "/var/lib/rpm/rpmdb.sqlite", sqlite)})
			t.Logf("%s: %d packages from %d bytes of SQLite in %v", name, len(pkgs), len(sqlite), time.Since(start))
			for _, w := range warns {
				t.Errorf("warning: %s", w)
			}
			checkPackages(t, pkgs, want, "/var/lib/rpm/rpmdb.sqlite")
		})
	}
}
