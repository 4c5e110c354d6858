package drift

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/imagedrift/imagedrift/internal/golden"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/report"
	"github.com/imagedrift/imagedrift/internal/risk"
)

// twoBuilds are two builds of one commit that differ in one way per
// cause, and in two ways that are the same build twice (a file whose
// only change is its time, a label holding the build date).
func twoBuilds() (first, second *inventory.Inventory, probes [2]*Probe) {
	common := []inventory.File{
		file("/srv/app/same.txt", "s1", 5),
		{Path: "/srv/app", Type: inventory.TypeDir, Mode: 0o755},
	}
	first = &inventory.Inventory{SchemaVersion: 1, Ref: "Dockerfile@0123456789ab (first build)", ConfigDigest: "sha256:" + strings.Repeat("a", 64),
		Config: inventory.Config{Created: at("2026-11-30T02:26:14Z"), Labels: map[string]string{
			"org.opencontainers.image.created": "2026-11-30T02:26:14Z", "build.nonce": "8f1c"},
			History: []inventory.History{{Created: at("2026-11-01T00:00:00Z")}, {Created: at("2026-11-30T02:26:14Z")}}},
		Packages: []packages.Package{dpkg("curl", "7.88.1-10+deb12u8"), dpkg("tzdata", "2025b-0+deb12u1")}}
	second = &inventory.Inventory{SchemaVersion: 1, Ref: "Dockerfile@0123456789ab (second build)", ConfigDigest: "sha256:" + strings.Repeat("b", 64),
		Config: inventory.Config{Created: at("2026-11-30T02:27:40Z"), Labels: map[string]string{
			"org.opencontainers.image.created": "2026-11-30T02:27:40Z", "build.nonce": "07d2"},
			History: []inventory.History{{Created: at("2026-11-01T00:00:00Z")}, {Created: at("2026-11-30T02:27:40Z")}}},
		Packages: []packages.Package{dpkg("curl", "7.88.1-10+deb12u9"), dpkg("tzdata", "2025b-0+deb12u1")}}
	first.Files = append(slices.Clone(common),
		file("/etc/machine-id", "m1", 33), file("/etc/ssh/ssh_host_ed25519_key", "k1", 399),
		file("/opt/app/tls.pem", "p1", 241), file("/usr/lib/python3/dist-packages/app/__pycache__/m.cpython-311.pyc", "c1", 900),
		file("/var/lib/dpkg/status", "d1", 9000), file("/var/lib/dpkg/info/curl.md5sums", "i1", 400),
		file("/usr/bin/curl", "b1", 300000), file("/etc/build-date", "t1", 29), file("/srv/app/random.bin", "r1", 16))
	second.Files = append(slices.Clone(common),
		file("/etc/machine-id", "m2", 33), file("/etc/ssh/ssh_host_ed25519_key", "k2", 399),
		file("/opt/app/tls.pem", "p2", 241), file("/usr/lib/python3/dist-packages/app/__pycache__/m.cpython-311.pyc", "c2", 900),
		file("/var/lib/dpkg/status", "d2", 9000), file("/var/lib/dpkg/info/curl.md5sums", "i2", 400),
		file("/usr/bin/curl", "b2", 300000), file("/etc/build-date", "t2", 29), file("/srv/app/random.bin", "r2", 16))
	for _, inv := range []*inventory.Inventory{first, second} {
		slices.SortFunc(inv.Files, func(a, b inventory.File) int { return strings.Compare(a.Path, b.Path) })
	}
	probes[0] = &Probe{MTimes: map[string]int64{"/srv/app/same.txt": 1764469574e9, "/srv/app": 1764469574e9, "/etc/build-date": 1},
		Samples: map[string][]byte{"/etc/build-date": []byte("Sat Nov 30 02:26:14 UTC 2026\n"), "/opt/app/tls.pem": []byte("-----BEGIN PRIVATE KEY-----\nMC4C\n")}}
	probes[1] = &Probe{MTimes: map[string]int64{"/srv/app/same.txt": 1764469660e9, "/srv/app": 1764469660e9, "/etc/build-date": 2},
		Samples: map[string][]byte{"/etc/build-date": []byte("Sat Nov 30 02:27:40 UTC 2026\n"), "/opt/app/tls.pem": []byte("-----BEGIN PRIVATE KEY-----\nMC4D\n")}}
	return first, second, probes
}

// TestClassify: every difference of two builds lands in its cause, the
// risks take the cause's level, and the lint findings that explain a
// cause are listed with it.
func TestClassify(t *testing.T) {
	first, second, probes := twoBuilds()
	rep := run(t, first, second).Report
	r := Classify(rep, ReproInput{First: first, Second: second, Probes: probes, Findings: findings,
		Epoch: 1764460000, Builder: "docker build (legacy builder)"})
	got := map[string][]string{}
	for _, c := range r.Causes {
		for _, d := range c.Differences {
			got[c.Cause] = append(got[c.Cause], d.Subject+" "+d.Change)
		}
	}
	want := map[string][]string{
		report.ReproGeneratedSecret:  {"/etc/machine-id content", "/etc/ssh/ssh_host_ed25519_key content", "/opt/app/tls.pem content"},
		report.ReproPackageVersions:  {"/var/lib/dpkg/info/curl.md5sums content", "/var/lib/dpkg/status content", "dpkg:curl version"},
		report.ReproUnexplained:      {"/srv/app/random.bin content", "/usr/bin/curl content", "config:labels:build.nonce config"},
		report.ReproNonDeterministic: {"/usr/lib/python3/dist-packages/app/__pycache__/m.cpython-311.pyc content"},
		report.ReproTimestamps: {"/etc/build-date content", "/srv/app mtime", "/srv/app/same.txt mtime", "config:created config",
			"config:history config", "config:labels:org.opencontainers.image.created config"},
	}
	for _, cause := range report.ReproCauses {
		if !slices.Equal(got[cause], want[cause]) {
			t.Errorf("%s:\n got %q\nwant %q", cause, got[cause], want[cause])
		}
	}
	if r.Reproducible {
		t.Error("reproducible, with two image IDs")
	}
	risks := ReproRisks(r)
	levels := map[string]risk.Level{}
	for _, rk := range risks {
		levels[rk.Subject] = rk.Level
	}
	if levels[report.ReproGeneratedSecret] != risk.High || levels[report.ReproTimestamps] != risk.Low || len(risks) != 5 {
		t.Errorf("risks %+v", risks)
	}
	res := run(t, first, second, ReproContributor(r))
	golden.Check(t, filepath.Join("testdata", "repro.json"), indentJSON(t, map[string]any{
		"reproducibility": res.Report.Reproducibility, "risks": res.Report.Risks}))
	golden.Check(t, filepath.Join("testdata", "repro.md"), []byte(sections(res)))
}

// The same image twice is reproducible, whatever else is known.
func TestClassifyReproducible(t *testing.T) {
	first, _, probes := twoBuilds()
	rep := run(t, first, first).Report
	r := Classify(rep, ReproInput{First: first, Second: first, Probes: probes, Epoch: 1})
	if !r.Reproducible || len(r.Causes) != 0 || len(ReproRisks(r)) != 0 {
		t.Errorf("%+v", r)
	}
	if s := ReproSection(r).Body; !strings.HasPrefix(s, "✅ Two builds") {
		t.Errorf("section %q", s)
	}
}

// Two images that differ in nothing compared still differ: that is
// said, not hidden.
func TestClassifyNothingFound(t *testing.T) {
	first, _, _ := twoBuilds()
	second := *first
	second.ConfigDigest = "sha256:" + strings.Repeat("c", 64)
	r := Classify(run(t, first, &second).Report, ReproInput{First: first, Second: &second})
	if len(r.Causes) != 1 || r.Causes[0].Cause != report.ReproUnexplained || r.Causes[0].Differences[0].Subject != "layers" {
		t.Errorf("causes %+v", r.Causes)
	}
}
