package rpm

import (
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages"
)

// TestFileListsAgainstRPM compares the file lists read from each test
// database with what rpm -ql says, digests and %config flags included.
func TestFileListsAgainstRPM(t *testing.T) {
	if _, err := exec.LookPath("rpm"); err != nil {
		t.Skip("rpm not installed: nothing to compare with")
	}
	// rpm leaves its SQLite journal beside the database: query a copy.
	dbpath := t.TempDir()
	if err := os.WriteFile(filepath.Join(dbpath, "rpmdb.sqlite"), readFile(t, "testdata/rpmdb.sqlite"), 0o644); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, name := range []string{"hello", "hello-libs", "openssl-libs", "podman", "conmon", "tzdata"} {
		out, err := exec.Command("rpm", "-q", "--dbpath", dbpath, "--define", "_db_backend sqlite",
			"--qf", "[%{FILENAMES}\t%{FILEFLAGS}\n]", name).Output()
		if err != nil {
			t.Fatalf("rpm -q %s: %v", name, err)
		}
		digests, _ := exec.Command("rpm", "-q", "--dbpath", dbpath, "--define", "_db_backend sqlite",
			"--qf", "[%{FILEDIGESTS}\n]", name).Output()
		want[name] = joinDigests(string(out), string(digests))
	}
	for p, data := range testDatabases(t) {
		t.Run(filepath.Base(p), func(t *testing.T) {
			pkgs, owned, warns := New().(packages.Owner).CatalogOwned([]packages.File{capture(t, p, data)})
			if len(warns) > 0 {
				t.Errorf("warnings: %v", warns)
			}
			for _, o := range owned {
				name := pkgs[o.Package].Name
				var lines []string
				for f := range o.Files {
					flag := "0"
					if f.Config {
						flag = "1"
					}
					lines = append(lines, f.Path+"\t"+flag+"\t"+hex.EncodeToString(f.Digest.Bytes()))
				}
				sort.Strings(lines)
				if got := strings.Join(lines, "\n"); got != want[name] {
					t.Errorf("%s: files\n%s\nrpm says\n%s", name, got, want[name])
				}
			}
		})
	}
}

// joinDigests pairs rpm's "PATH\tFLAGS" lines with its digest lines, the
// flags reduced to the %config bit, sorted.
func joinDigests(files, digests string) string {
	fl := strings.Split(strings.TrimSuffix(files, "\n"), "\n")
	dl := strings.Split(strings.TrimSuffix(digests, "\n"), "\n")
	var out []string
	for i, l := range fl {
		p, flags, _ := strings.Cut(l, "\t")
		config := "0"
		if n := atoi(flags); n&fileConfig != 0 {
			config = "1"
		}
		d := ""
		if len(dl) == len(fl) {
			d = dl[i]
		}
		out = append(out, p+"\t"+config+"\t"+d)
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
