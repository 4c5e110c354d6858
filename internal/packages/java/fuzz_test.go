package java

import (
	"strings"
	"testing"
)

func FuzzManifest(f *testing.F) {
	f.Add([]byte("Manifest-Version: 1.0\r\nImplementation-Title: x\r\nImplementation-Version: 1\r\n\r\nName: a\r\n"))
	f.Add([]byte("Bundle-SymbolicName: org.a.b;singleton:=true\nBundle-Version: 2.0\n continued\n"))
	f.Add(readTestdataF(f, "hamcrest-2.2.jar")[:512])
	f.Fuzz(func(t *testing.T, b []byte) {
		m := parseManifest(b)
		for _, v := range []string{m.implTitle, m.implVersion, m.bundleName, m.bundleVersion} {
			if strings.ContainsAny(v, "\r\n") || len(v) > maxValue {
				t.Fatalf("bad value %q", v)
			}
		}
		m.identity("x-1.0.jar")
	})
}

func FuzzPomProperties(f *testing.F) {
	f.Add([]byte("#Created by Apache Maven 3.6.3\ngroupId=org.slf4j\nartifactId=slf4j-api\nversion=1.7.32\n"), "META-INF/maven/org.slf4j/slf4j-api/pom.properties")
	f.Add([]byte("version : 1\r\n! comment\r\nartifactId\tx"), "META-INF/maven/g/a/pom.properties")
	f.Fuzz(func(t *testing.T, b []byte, path string) {
		p, ok := parsePomProperties(b, path)
		if ok && (p.groupID == "" || p.artifactID == "") {
			t.Fatalf("ok without a name: %+v", p)
		}
		if strings.ContainsAny(p.version, "\r\n") {
			t.Fatalf("bad version %q", p.version)
		}
	})
}

// FuzzArchive feeds arbitrary bytes to the archive reader: it must not
// panic, and what it reports must have a name.
func FuzzArchive(f *testing.F) {
	// Small seeds: the fuzzer mutates large inputs slowly.
	integ := readTestdataF(f, "hamcrest-integration-1.3.1-SNAPSHOT.jar")
	f.Add(integ)
	f.Add(buildZip(f, entry{name: "WEB-INF/lib/i.jar", data: integ, stored: true},
		entry{name: "META-INF/maven/g/a/pom.properties", data: []byte("groupId=g\nartifactId=a\nversion=1\n")}))
	f.Add(buildZip(f, entry{name: "META-INF/MANIFEST.MF", data: []byte("Implementation-Title: t\n")},
		entry{name: "lib/x.jar", data: buildZip(f, entry{name: "META-INF/maven/g/a/pom.properties", data: []byte("version=1")})}))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := readArchive(data, "fuzz-1.0.jar")
		if err != nil {
			return
		}
		for _, p := range a.Packages {
			if p.Name == "" {
				t.Fatalf("package without a name: %+v", p)
			}
		}
	})
}

func readTestdataF(f *testing.F, name string) []byte { return readTestdata(f, name) }
