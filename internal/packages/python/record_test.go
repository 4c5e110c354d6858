package python

import (
	"encoding/base64"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/packages/catalogtest"
)

func TestCatalogOwned(t *testing.T) {
	site := "/opt/venv/lib/python3.11/site-packages"
	record := "six-1.16.0.dist-info/METADATA,sha256=Q56A1jQxEnzMMCyqgYkqM5Egvr9y18VExGF3ciGLjlY,2005\n" +
		"six-1.16.0.dist-info/RECORD,,\n" +
		"\"odd,name.py\",sha512=AAAA,3\n" +
		"../../../bin/six-tool,sha256=Q56A1jQxEnzMMCyqgYkqM5Egvr9y18VExGF3ciGLjlY,9\n"
	files := []packages.File{
		{Path: site + "/six-1.16.0.dist-info/METADATA", Data: &metadata{Name: "six", Version: "1.16.0", NameOk: true, VersionOk: true, Done: true}},
		{Path: site + "/six-1.16.0.dist-info/RECORD", Data: &packages.Captured{Data: []byte(record)}},
		{Path: "/usr/lib/python3/dist-packages/lsb_release-0.0.0.egg-info", Data: &metadata{Name: "lsb_release", Version: "0.0.0", NameOk: true, VersionOk: true, Done: true}},
		{Path: "/usr/lib/python3/dist-packages/idna-3.3.egg-info/PKG-INFO", Data: &metadata{Name: "idna", Version: "3.3", NameOk: true, VersionOk: true, Done: true}},
		{Path: "/usr/lib/python3/dist-packages/idna-3.3.egg-info/installed-files.txt", Data: &packages.Captured{Data: []byte("../idna/__init__.py\r\nPKG-INFO\n")}},
	}
	pkgs, owned, warns := New().(packages.Owner).CatalogOwned(files)
	if len(warns) > 0 || len(pkgs) != 3 {
		t.Fatalf("packages %v, warnings %v", pkgs, warns)
	}
	sum, _ := base64.RawURLEncoding.DecodeString("Q56A1jQxEnzMMCyqgYkqM5Egvr9y18VExGF3ciGLjlY")
	type claim struct {
		Record string
		Dirs   []string
		Files  []packages.OwnedFile
	}
	want := map[string]claim{
		"six": {Record: site + "/six-1.16.0.dist-info/RECORD", Dirs: []string{site + "/six-1.16.0.dist-info"}, Files: []packages.OwnedFile{
			{Path: site + "/six-1.16.0.dist-info/METADATA", Digest: digest(sum)},
			{Path: site + "/six-1.16.0.dist-info/RECORD"},
			{Path: site + "/odd,name.py"},
			{Path: "/opt/venv/bin/six-tool", Digest: digest(sum)},
		}},
		"lsb-release": {Files: []packages.OwnedFile{{Path: "/usr/lib/python3/dist-packages/lsb_release-0.0.0.egg-info"}}},
		"idna": {Record: "/usr/lib/python3/dist-packages/idna-3.3.egg-info/installed-files.txt",
			Dirs: []string{"/usr/lib/python3/dist-packages/idna-3.3.egg-info"}, Files: []packages.OwnedFile{
				{Path: "/usr/lib/python3/dist-packages/idna/__init__.py"},
				{Path: "/usr/lib/python3/dist-packages/idna-3.3.egg-info/PKG-INFO"},
			}},
	}
	for _, o := range owned {
		name := pkgs[o.Package].Name
		w := want[name]
		if o.Record != w.Record || !reflect.DeepEqual(o.Dirs, w.Dirs) || !reflect.DeepEqual(slices.Collect(o.Files), w.Files) {
			t.Errorf("%s:\n got %+v %v\nwant %+v", name, o, slices.Collect(o.Files), w)
		}
	}
}

func digest(sum []byte) packages.Digest {
	d := packages.Digest{Algo: packages.SHA256}
	copy(d.Sum[:], sum)
	return d
}

func TestRecordTestdata(t *testing.T) {
	data, err := os.ReadFile("testdata/root/usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/RECORD")
	if err != nil {
		t.Fatal(err)
	}
	fs, err := recordFiles("/usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/RECORD", data)
	if err != nil || len(fs) == 0 {
		t.Fatalf("%d files, %v", len(fs), err)
	}
	for _, f := range fs {
		if !strings.HasPrefix(f.Path, "/usr/lib/python3/dist-packages/") || strings.HasSuffix(f.Path, ".py") && f.Digest.Algo != packages.SHA256 {
			t.Errorf("%+v", f)
		}
	}
}

func FuzzRecord(f *testing.F) {
	catalogtest.SeedFiles(f, "testdata/root/usr/lib/python3/dist-packages/*/RECORD")
	f.Add([]byte("\"a,b\",sha256=xx,1\n../../../../../../etc/x,,\n\"unterminated\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, p := range []string{"/s/x.dist-info/RECORD", "/s/x.egg-info/installed-files.txt"} {
			fs, _ := recordFiles(p, data)
			for _, f := range fs {
				if !strings.HasPrefix(f.Path, "/") || strings.Contains(f.Path, "/../") {
					t.Fatalf("path %q not absolute and clean", f.Path)
				}
			}
		}
	})
}
