package dpkg

import (
	"encoding/hex"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/packages/catalogtest"
)

// catalogOwned runs files (image path → content) through the cataloger's
// extractors and CatalogOwned, as the inventory pass does.
func catalogOwned(t *testing.T, files map[string]string) ([]packages.Package, []packages.Owned, []packages.Warning) {
	t.Helper()
	c := New().(packages.Owner)
	var fs []packages.File
	for p, data := range files {
		if f, ok := capture(t, c, p, []byte(data)); ok {
			fs = append(fs, f)
		}
	}
	sort.Slice(fs, func(i, j int) bool { return fs[i].Path < fs[j].Path })
	return c.CatalogOwned(fs)
}

func md5hex(s string) string { return s + strings.Repeat("0", 32-len(s)) }

func TestCatalogOwned(t *testing.T) {
	status := "Package: dash\nStatus: install ok installed\nVersion: 0.5.12-2\nArchitecture: amd64\n\n" +
		"Package: libc6\nStatus: install ok installed\nVersion: 2.36-9\nArchitecture: amd64\nMulti-Arch: same\n\n" +
		"Package: adduser\nStatus: install ok installed\nVersion: 3.134\nArchitecture: all\nConffiles:\n" +
		" /etc/adduser.conf " + md5hex("cc34") + "\n /etc/old.conf " + md5hex("aa") + " obsolete\n\n" +
		"Package: bash\nStatus: install ok installed\nVersion: 5.2\nArchitecture: amd64\n"
	pkgs, owned, warns := catalogOwned(t, map[string]string{
		statusPath:                       status,
		infoDir + "/dash.list":           "/.\n/bin\n/bin/dash\n/bin/sh\n/etc/dash.conf\n",
		infoDir + "/dash.md5sums":        md5hex("d1") + "  bin/dash\n" + md5hex("e1") + "  etc/dash.conf\n" + "garbage\n",
		infoDir + "/libc6:amd64.list":    "/.\n/usr/lib/x86_64-linux-gnu/libc.so.6\n",
		infoDir + "/libc6:amd64.md5sums": md5hex("c6") + "  usr/lib/x86_64-linux-gnu/libc.so.6\n",
		infoDir + "/adduser.list":        "/etc/adduser.conf\n/usr/sbin/adduser\n",
		infoDir + "/bash.list":           "/bin/sh\n/bin/bash\n",
		infoDir + "/bash.postinst":       "#!/bin/sh\n",
		diversionsPath:                   "/bin/sh\n/bin/sh.distrib\ndash\n",
	})
	if len(pkgs) != 4 || len(owned) != 4 {
		t.Fatalf("got %d packages, %d owned", len(pkgs), len(owned))
	}
	got := map[string][]string{}
	for _, o := range owned {
		var fs []string
		for f := range o.Files {
			s := f.Path
			if f.Digest.Algo == packages.MD5 {
				s += " md5:" + hex.EncodeToString(f.Digest.Bytes())[:4]
			}
			if f.Config {
				s += " config"
			}
			fs = append(fs, s)
		}
		got[pkgs[o.Package].Name+" "+o.Record] = fs
	}
	want := map[string][]string{
		"dash /var/lib/dpkg/info/dash.list": {infoDir + "/dash.list", infoDir + "/dash.md5sums",
			"/bin", "/bin/dash", "/bin/sh", "/etc/dash.conf md5:e100"},
		// MD5 sums outside /etc are not kept: the inventory has none to
		// compare them with.
		"libc6 /var/lib/dpkg/info/libc6:amd64.list": {infoDir + "/libc6:amd64.list", infoDir + "/libc6:amd64.md5sums",
			"/usr/lib/x86_64-linux-gnu/libc.so.6"},
		"adduser /var/lib/dpkg/info/adduser.list": {infoDir + "/adduser.list",
			"/etc/adduser.conf", "/usr/sbin/adduser", "/etc/adduser.conf md5:cc34 config"},
		"bash /var/lib/dpkg/info/bash.list": {infoDir + "/bash.list", infoDir + "/bash.postinst", "/bin/sh.distrib", "/bin/bash"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("owned:\n got %q\nwant %q", got, want)
	}
	if len(warns) != 1 || !strings.Contains(warns[0].Message, "1 lines are not") || warns[0].Path != infoDir+"/dash.md5sums" {
		t.Errorf("warnings %v, want one for the md5sums line that is not one", warns)
	}
}

// Distroless images have no .list files: status.d/NAME.md5sums names the
// package's files.
func TestCatalogOwnedDistroless(t *testing.T) {
	files := map[string]string{}
	for imgPath, local := range testdataFiles(t) {
		if imgPath == statusPath {
			continue
		}
		data, err := os.ReadFile(local)
		if err != nil {
			t.Fatal(err)
		}
		files[imgPath] = string(data)
	}
	pkgs, owned, warns := catalogOwned(t, files)
	if len(warns) > 0 {
		t.Errorf("warnings: %v", warns)
	}
	n := 0
	for _, o := range owned {
		if o.Record != statusDir+"/"+pkgs[o.Package].Name {
			t.Errorf("%s: record %q", pkgs[o.Package].Name, o.Record)
		}
		for f := range o.Files {
			if !strings.HasPrefix(f.Path, "/") || f.Digest.Algo != packages.MD5 {
				t.Errorf("%s: %+v", pkgs[o.Package].Name, f)
			}
			n++
		}
	}
	if n == 0 {
		t.Error("no files owned")
	}
}

func FuzzMD5sums(f *testing.F) {
	catalogtest.SeedFiles(f, "testdata/status.d/*.md5sums")
	f.Add([]byte(md5hex("ab") + " *usr/bin/x\r\n\n" + strings.Repeat("z", 5000) + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		x := &md5sumsExtractor{}
		for len(data) > 0 {
			n := min(len(data), 7)
			x.Write(data[:n])
			data = data[n:]
		}
		v, err := x.Result()
		r := v.(*md5Result)
		if err != nil || !sort.SliceIsSorted(r.sums, func(i, j int) bool { return r.sums[i].path < r.sums[j].path }) {
			t.Fatalf("unsorted or error %v", err)
		}
	})
}

func FuzzList(f *testing.F) {
	f.Add([]byte("/.\n/bin\n/bin/dash\r\n"), []byte("/bin/sh\n/bin/sh.distrib\ndash\n"), []byte(" /etc/a "+md5hex("1")+"\n"))
	f.Fuzz(func(t *testing.T, list, diversions, conffiles []byte) {
		status := "Package: p\nStatus: install ok installed\nVersion: 1\nConffiles:\n" + string(conffiles) + "\n"
		pkgs, owned, _ := catalogOwned(t, map[string]string{statusPath: status, infoDir + "/p.list": string(list), diversionsPath: string(diversions)})
		for _, o := range owned {
			if o.Package < 0 || o.Package >= len(pkgs) {
				t.Fatalf("owned names package %d of %d", o.Package, len(pkgs))
			}
			if o.Files == nil {
				continue
			}
			for f := range o.Files {
				if f.Path == "" {
					t.Fatalf("empty path in %+v", o)
				}
			}
		}
	})
}

// FuzzListRoundTrip: the front-coded list gives back every line it was
// written, whatever the chunks it came in.
func FuzzListRoundTrip(f *testing.F) {
	f.Add([]byte("/.\n/usr\n/usr/bin\n/usr/bin/x\r\n/usr/lib\n\n/a"), uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		x := &listExtractor{}
		for rest := data; len(rest) > 0; {
			n := min(len(rest), int(chunk)+1)
			x.Write(rest[:n])
			rest = rest[n:]
		}
		v, _ := x.Result()
		var got []string
		for p := range v.(*list).paths() {
			got = append(got, string(p))
		}
		var want []string
		for _, l := range strings.Split(string(data), "\n") {
			if l = strings.TrimSuffix(l, "\r"); l != "" && len(l) <= maxLine {
				want = append(want, l)
			}
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("got %q, want %q", got, want)
		}
	})
}
