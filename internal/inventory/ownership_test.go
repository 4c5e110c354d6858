package inventory

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/packages/dpkg"
	"github.com/imagedrift/imagedrift/internal/packages/npm"
	"github.com/imagedrift/imagedrift/internal/packages/python"
)

func md5sum(s string) string { h := md5.Sum([]byte(s)); return hex.EncodeToString(h[:]) }

func recordSum(s string) string {
	h := sha256.Sum256([]byte(s))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// elf is the head of an x86-64 executable: enough for the pass to tell.
const elf = "\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00"

// A three-layer image as a Dockerfile makes one: Debian packages, then a
// sed on a packaged file and a copied binary, then a pip install.
func TestOwnership(t *testing.T) {
	status := "Package: tool\nStatus: install ok installed\nVersion: 1.0-1\nArchitecture: amd64\nConffiles:\n" +
		" /etc/tool.conf " + md5sum("a=1\n") + "\n\n" +
		"Package: python3-six\nStatus: install ok installed\nVersion: 1.16.0-4\nArchitecture: all\n"
	base := layerOf(t,
		dir("bin/"), dir("usr/"), dir("usr/bin/"), dir("etc/"), sym("bin", "usr/bin"),
		tf{name: "usr/bin/tool", typ: '0', body: elf + "v1", mode: 0o755},
		reg("usr/share/tool/data", "data\n"),
		reg("etc/tool.conf", "a=1\n"),
		reg("etc/other.conf", "x\n"),
		reg("usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO", "Metadata-Version: 1.1\nName: six\nVersion: 1.16.0\n"),
		reg("var/lib/dpkg/status", status),
		reg("var/lib/dpkg/info/tool.list", "/.\n/bin\n/bin/tool\n/usr/share/tool/data\n/etc/tool.conf\n/etc/other.conf\n"),
		reg("var/lib/dpkg/info/tool.md5sums", md5sum(elf+"v1")+"  bin/tool\n"+md5sum("data\n")+"  usr/share/tool/data\n"+md5sum("x\n")+"  etc/other.conf\n"),
		tf{name: "var/lib/dpkg/info/tool.postinst", typ: '0', body: "#!/bin/sh\n", mode: 0o755},
		reg("var/lib/dpkg/info/python3-six.list", "/usr/lib/python3/dist-packages/six-1.16.0.egg-info\n/usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO\n"),
	)
	edit := layerOf(t,
		reg("usr/share/tool/data", "edited\n"), // sed -i in a later RUN
		reg("etc/tool.conf", "a=2\n"),          // a conffile edited
		reg("etc/other.conf", "y\n"),           // a packaged file under /etc edited
		tf{name: "usr/local/bin/static", typ: '0', body: elf + "static", mode: 0o755},
		tf{name: "usr/local/bin/run.sh", typ: '0', body: "#!/bin/sh\nexec static\n", mode: 0o755},
	)
	record := "requests-2.31.0.dist-info/METADATA,sha256=" + recordSum("Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\n") + ",10\n" +
		"requests/__init__.py,sha256=" + recordSum("original\n") + ",9\nrequests-2.31.0.dist-info/RECORD,,\n"
	pip := layerOf(t,
		reg("usr/local/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\n"),
		reg("usr/local/lib/python3.11/site-packages/requests-2.31.0.dist-info/RECORD", record),
		reg("usr/local/lib/python3.11/site-packages/requests/__init__.py", "patched\n"),
		reg("usr/share/nodejs/ms/package.json", `{"name": "ms", "version": "2.1.3"}`),
		reg("usr/share/nodejs/ms/index.js", "module.exports = 1\n"),
	)
	inv, err := inventoryOf(t, imageOf(t, base, edit, pip), Options{Catalogers: []packages.Cataloger{dpkg.New(), python.New(), npm.New()}})
	if err != nil {
		t.Fatal(err)
	}
	if !inv.Ownership {
		t.Error("Ownership not set")
	}
	owner := func(p string) string {
		f, ok := fileMap(inv)[p]
		if !ok {
			t.Fatalf("%s missing", p)
		}
		var names []string
		for _, o := range f.Owners {
			names = append(names, inv.Packages[o].Ecosystem+":"+inv.Packages[o].Name)
		}
		s := strings.Join(names, ",")
		if f.Modified {
			s += " modified"
		}
		if f.Conffile {
			s += " conffile"
		}
		if f.Executable != ExecutableNone {
			s += " " + f.Executable.String()
		}
		return s
	}
	want := map[string]string{
		"/usr/bin/tool":                    "dpkg:tool elf",
		"/bin":                             "dpkg:tool",
		"/usr/share/tool/data":             "dpkg:tool modified",
		"/etc/tool.conf":                   "dpkg:tool modified conffile",
		"/etc/other.conf":                  "dpkg:tool modified",
		"/var/lib/dpkg/info/tool.list":     "dpkg:tool",
		"/var/lib/dpkg/info/tool.postinst": "dpkg:tool script",
		"/usr/local/bin/static":            " elf",
		"/usr/local/bin/run.sh":            " script",
		"/usr/local/lib/python3.11/site-packages/requests/__init__.py":               "python:requests modified",
		"/usr/local/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA": "python:requests",
		"/usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO":                "dpkg:python3-six,python:six",
		"/usr/share/nodejs/ms/index.js":                                              "npm:ms",
		"/var/lib/dpkg/status":                                                       "",
	}
	for p, w := range want {
		if got := owner(p); got != strings.TrimSpace(w) && got != w {
			t.Errorf("%s: %q, want %q", p, got, w)
		}
	}
	layers := map[string]int{}
	owned := map[string]string{}
	for _, p := range inv.Packages {
		layers[p.Name] = p.Layer
		owned[p.Name] = p.OwnedBy
	}
	if !reflect.DeepEqual(layers, map[string]int{"tool": 0, "python3-six": 0, "six": 0, "requests": 2, "ms": 2}) {
		t.Errorf("package layers %v", layers)
	}
	if owned["six"] != "dpkg:python3-six" || owned["requests"] != "" || owned["ms"] != "" {
		t.Errorf("owned by %v", owned)
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, inv); err != nil {
		t.Fatal(err)
	}
	validateSchema(t, buf.Bytes())
}

// Inventories written by the previous schema version still load, without
// ownership, and match the schema.
func TestLoadSchemaVersion1(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "example-head.v1.inventory.json"))
	if err != nil {
		t.Fatal(err)
	}
	validateSchema(t, data)
	inv, err := Load(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if inv.SchemaVersion != 1 || inv.Ownership || len(inv.Files) == 0 || len(inv.Packages) == 0 {
		t.Errorf("version %d, ownership %v, %d files, %d packages", inv.SchemaVersion, inv.Ownership, len(inv.Files), len(inv.Packages))
	}
}

// FuzzOwnership feeds arbitrary dpkg records and symlinks (loops, links
// climbing out of the root) to the join: owners must name packages, and
// nothing may panic or loop.
func FuzzOwnership(f *testing.F) {
	f.Add("/.\n/bin/x\n/bin\n", md5sum("x")+"  bin/x\n", "usr/bin", "/bin/x\n/tmp/y\n")
	f.Add("/a/b/c\n", "", "../../../a", "a\nb\nc\n")
	f.Add("/loop/x\n", "", "loop", "")
	f.Fuzz(func(t *testing.T, list, sums, link, diversions string) {
		status := "Package: p\nStatus: install ok installed\nVersion: 1\nConffiles:\n /bin/x " + md5sum("x") + "\n"
		l := layerOf(t, sym("bin", link), sym("loop", "loop"), reg("usr/bin/x", "x"), reg("etc/x", "x"),
			reg("var/lib/dpkg/status", status), reg("var/lib/dpkg/info/p.list", list),
			reg("var/lib/dpkg/info/p.md5sums", sums), reg("var/lib/dpkg/diversions", diversions))
		inv, err := inventoryOf(t, imageOf(t, l, layerOf(t, reg("usr/bin/x", "y"))), Options{Catalogers: []packages.Cataloger{dpkg.New()}})
		if err != nil {
			return
		}
		for _, file := range inv.Files {
			for _, o := range file.Owners {
				if o < 0 || o >= len(inv.Packages) {
					t.Fatalf("%s: owner %d of %d packages", file.Path, o, len(inv.Packages))
				}
			}
		}
	})
}

// A link of dpkg's alternatives system belongs to the package that owns
// its target.
func TestOwnershipAlternatives(t *testing.T) {
	status := "Package: pg\nStatus: install ok installed\nVersion: 15\n"
	l := layerOf(t, reg("usr/share/man/psql.1.gz", "man"), sym("etc/alternatives/psql.1.gz", "/usr/share/man/psql.1.gz"),
		sym("etc/alternatives/gone", "/nowhere"), reg("var/lib/dpkg/status", status),
		reg("var/lib/dpkg/info/pg.list", "/usr/share/man/psql.1.gz\n"))
	inv, err := inventoryOf(t, imageOf(t, l), Options{Catalogers: []packages.Cataloger{dpkg.New()}})
	if err != nil {
		t.Fatal(err)
	}
	files := fileMap(inv)
	if o := files["/etc/alternatives/psql.1.gz"].Owners; len(o) != 1 || inv.Packages[o[0]].Name != "pg" {
		t.Errorf("owners %v", o)
	}
	if o := files["/etc/alternatives/gone"].Owners; len(o) != 0 {
		t.Errorf("a dangling link owned by %v", o)
	}
}
