package packages

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// A reference is the ecosystem's own implementation, run as a program:
// it answers -1, 0 or 1 for each pair, or invalid when it refuses a version.
type reference struct {
	name string
	// strict: the reference refuses every version Compare refuses.
	strict  bool
	ok      func() bool
	compare func(t *testing.T, pairs [][2]string) []refAnswer
}

type refAnswer struct {
	cmp     int
	invalid bool
}

// references are looked up per ecosystem; tests skip where a tool is absent.
var references = map[string][]reference{
	Dpkg:     {dpkgPerl, dpkgBinary},
	RPM:      {rpmLua},
	Python:   {pythonPackaging},
	Gem:      {rubyGems},
	Npm:      {nodeSemver},
	Java:     {mavenComparable},
	Composer: {composerSemver},
}

// composerSemver is composer/semver as Debian ships it (php-composer-semver):
// both versions normalized by its VersionParser, then its Comparator. It
// accepts branch versions (dev-main) that Compare refuses.
const composerAutoload = "/usr/share/php/Composer/Semver/autoload.php"

var composerSemver = reference{
	name: "php composer/semver",
	ok: func() bool {
		_, err := exec.LookPath("php")
		_, serr := os.Stat(composerAutoload)
		return err == nil && serr == nil
	},
	compare: func(t *testing.T, pairs [][2]string) []refAnswer {
		script := `require "` + composerAutoload + `";
use Composer\Semver\VersionParser; use Composer\Semver\Comparator;
$p = new VersionParser();
while (($l = fgets(STDIN)) !== false) {
  [$a, $b] = explode("\t", rtrim($l, "\n"), 2);
  try { $a = $p->normalize($a); $b = $p->normalize($b); } catch (\Exception $e) { echo "E\n"; continue; }
  echo Comparator::lessThan($a, $b) ? -1 : (Comparator::greaterThan($a, $b) ? 1 : 0), "\n";
}`
		return runLines(t, pairs, "php", "-r", script)
	},
}

// dpkgBinary runs dpkg --compare-versions, one process per pair; spawning
// is slow on a loaded machine, so it sees a bounded sample.
var dpkgBinary = reference{
	name: "dpkg --compare-versions",
	ok:   func() bool { _, err := exec.LookPath("dpkg"); return err == nil },
	compare: func(t *testing.T, pairs [][2]string) []refAnswer {
		out := make([]refAnswer, len(pairs))
		for i, p := range pairs {
			switch {
			case exec.Command("dpkg", "--compare-versions", p[0], "eq", p[1]).Run() == nil:
				out[i] = refAnswer{cmp: 0}
			case exec.Command("dpkg", "--compare-versions", p[0], "lt", p[1]).Run() == nil:
				out[i] = refAnswer{cmp: -1}
			default:
				out[i] = refAnswer{cmp: 1}
			}
		}
		return out
	},
}

// dpkgPerl is Dpkg::Version from dpkg's own source tree (libdpkg-perl),
// the same algorithm as the C library, fast enough for every pair.
var dpkgPerl = reference{
	name: "perl Dpkg::Version",
	ok:   func() bool { return exec.Command("perl", "-MDpkg::Version", "-e", "1").Run() == nil },
	compare: func(t *testing.T, pairs [][2]string) []refAnswer {
		script := `use Dpkg::Version; $| = 1;
while (<STDIN>) { chomp; my ($a, $b) = map { s/^\s+|\s+$//gr } split /\t/, $_, 2;
  if (!version_check($a) || !version_check($b)) { print "E\n"; next }
  my $c = version_compare($a, $b); print(($c <=> 0), "\n"); }`
		return runLines(t, pairs, "perl", "-e", script)
	},
}

// rpmLua is rpm.vercmp in rpm's embedded Lua, which parses [E:]V[-R] and
// compares with rpmvercmp, like rpm itself does.
var rpmLua = reference{
	name: "rpm --eval rpm.vercmp",
	ok:   func() bool { _, err := exec.LookPath("rpm"); return err == nil },
	compare: func(t *testing.T, pairs [][2]string) []refAnswer {
		f := writePairs(t, pairs)
		lua := `%{lua: for l in io.lines("` + f + `") do local a, b = l:match("^(.-)\t(.*)$"); print(rpm.vercmp(a, b) .. "\n") end}`
		out, err := exec.Command("rpm", "--eval", lua).Output()
		if err != nil {
			t.Fatalf("rpm: %v", err)
		}
		return parseAnswers(t, out, len(pairs))
	},
}

var pythonPackaging = reference{
	strict: true,
	name:   "python3 packaging.version",
	ok:     func() bool { return pythonWithPackaging() != "" },
	compare: func(t *testing.T, pairs [][2]string) []refAnswer {
		script := `import sys
from packaging.version import Version, InvalidVersion
for line in sys.stdin:
    a, b = line.rstrip("\n").split("\t", 1)
    try:
        x, y = Version(a), Version(b)
    except InvalidVersion:
        print("E"); continue
    print((x > y) - (x < y))`
		return runLines(t, pairs, pythonWithPackaging(), "-c", script)
	},
}

func pythonWithPackaging() string {
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import packaging.version").Run() == nil {
			return p
		}
	}
	return ""
}

var rubyGems = reference{
	strict: true,
	name:   "ruby Gem::Version",
	ok:     func() bool { _, err := exec.LookPath("ruby"); return err == nil },
	compare: func(t *testing.T, pairs [][2]string) []refAnswer {
		script := `$stdout.sync = true
STDIN.each_line { |l| a, b = l.chomp.split("\t", 2)
  if Gem::Version.correct?(a) && Gem::Version.correct?(b) then puts(Gem::Version.new(a) <=> Gem::Version.new(b)) else puts "E" end }`
		return runLines(t, pairs, "ruby", "-e", script)
	},
}

// nodeSemver is npm's own semver package as Debian ships it.
const nodeSemverDir = "/usr/share/nodejs/semver"

var nodeSemver = reference{
	strict: true,
	name:   "node semver",
	ok: func() bool {
		_, err := exec.LookPath("node")
		_, serr := os.Stat(nodeSemverDir)
		return err == nil && serr == nil
	},
	compare: func(t *testing.T, pairs [][2]string) []refAnswer {
		script := `const parse = require("` + nodeSemverDir + `/functions/parse"), cmp = require("` + nodeSemverDir + `/functions/compare");
const lines = require("fs").readFileSync(0, "utf8").split("\n").filter(l => l.length);
for (const l of lines) { const [a, b] = l.split("\t");
  if (!parse(a, true) || !parse(b, true)) { console.log("E"); continue }
  console.log(cmp(a, b, true)); }`
		return runLines(t, pairs, "node", "-e", script)
	},
}

// mavenComparable runs ComparableVersion's main, which compares each
// argument with the next one.
var mavenComparable = reference{
	name: "maven ComparableVersion",
	ok: func() bool {
		_, err := exec.LookPath("java")
		return err == nil && mavenJar() != ""
	},
	compare: func(t *testing.T, pairs [][2]string) []refAnswer {
		args := []string{"-cp", mavenJar(), "org.apache.maven.artifact.versioning.ComparableVersion"}
		for _, p := range pairs {
			args = append(args, p[0], p[1])
		}
		out, err := exec.Command("java", args...).Output()
		if err != nil {
			t.Fatalf("java: %v", err)
		}
		var all []int
		for _, line := range strings.Split(string(out), "\n") {
			f := strings.Fields(line)
			if len(f) != 3 || line[0] != ' ' {
				continue
			}
			all = append(all, map[string]int{"<": -1, "==": 0, ">": 1}[f[1]])
		}
		if len(all) != 2*len(pairs)-1 {
			t.Fatalf("java: %d comparisons for %d pairs", len(all), len(pairs))
		}
		res := make([]refAnswer, len(pairs))
		for i := range pairs {
			res[i] = refAnswer{cmp: all[2*i]}
		}
		return res
	},
}

func mavenJar() string {
	for _, p := range []string{"/usr/share/java/maven-artifact-3.x.jar", "/usr/share/maven/lib/maven-artifact-3.x.jar"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

func writePairs(t *testing.T, pairs [][2]string) string {
	var b bytes.Buffer
	for _, p := range pairs {
		b.WriteString(p[0] + "\t" + p[1] + "\n")
	}
	f := filepath.Join(t.TempDir(), "pairs")
	if err := os.WriteFile(f, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

func runLines(t *testing.T, pairs [][2]string, name string, args ...string) []refAnswer {
	t.Helper()
	var in bytes.Buffer
	for _, p := range pairs {
		in.WriteString(p[0] + "\t" + p[1] + "\n")
	}
	cmd := exec.Command(name, args...)
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v: %s", name, err, stderr.String())
	}
	return parseAnswers(t, out, len(pairs))
}

func parseAnswers(t *testing.T, out []byte, n int) []refAnswer {
	t.Helper()
	var res []refAnswer
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if line == "E" {
			res = append(res, refAnswer{invalid: true})
			continue
		}
		c, err := strconv.Atoi(line)
		if err != nil {
			t.Fatalf("reference answered %q", line)
		}
		res = append(res, refAnswer{cmp: sign(c)})
	}
	if len(res) != n {
		t.Fatalf("reference gave %d answers for %d pairs", len(res), n)
	}
	return res
}

// checkReference compares Compare with every available reference of the
// ecosystem on pairs. A pair Compare refuses must be one the reference
// refuses too (or, for references that accept anything, is only counted).
func checkReference(t *testing.T, eco string, pairs [][2]string, limitSlow int) {
	t.Helper()
	refs := references[eco]
	ran := false
	for _, ref := range refs {
		if !ref.ok() {
			t.Logf("%s: %s not installed; not compared", eco, ref.name)
			continue
		}
		ran = true
		// Blanks and empty strings do not survive the line and argument
		// protocols; TestCompareVectors covers them.
		if testing.Short() {
			limitSlow = min(limitSlow, 30)
		}
		ps := slices.DeleteFunc(slices.Clone(pairs), func(p [2]string) bool {
			return p[0] == "" || p[1] == "" || strings.ContainsAny(p[0]+p[1], " \t\n\r")
		})
		if ref.name == dpkgBinary.name && len(ps) > limitSlow {
			ps = ps[:limitSlow]
		}
		answers := ref.compare(t, ps)
		var bad, refused []string
		for i, p := range ps {
			got, err := Compare(eco, p[0], p[1])
			want := answers[i]
			switch {
			case err != nil && want.invalid:
			case err != nil:
				refused = append(refused, fmt.Sprintf("%q vs %q (reference: %d)", p[0], p[1], want.cmp))
			case want.invalid:
				bad = append(bad, fmt.Sprintf("%q vs %q: got %d, reference refuses it", p[0], p[1], got))
			case got != want.cmp:
				bad = append(bad, fmt.Sprintf("%q vs %q: got %d, %s says %d", p[0], p[1], got, ref.name, want.cmp))
			}
		}
		t.Logf("%s: %d pairs checked against %s, %d refused by Compare only", eco, len(ps), ref.name, len(refused))
		refused = slices.DeleteFunc(refused, hugeNumber.MatchString)
		if len(refused) > 0 && ref.strict {
			t.Errorf("%s: Compare refuses %d pairs %s accepts, e.g. %s", eco, len(refused), ref.name, refused[0])
		}
		if len(bad) > 0 {
			t.Errorf("%s: %d of %d pairs disagree with %s:\n%s", eco, len(bad), len(ps), ref.name, strings.Join(bad[:min(len(bad), 25)], "\n"))
		}
	}
	if !ran && len(refs) > 0 {
		t.Skipf("%s: no reference implementation installed", eco)
	}
}

// hugeNumber matches a pair with a number of 20 digits or more: the PEP 440
// library holds numbers in a uint64 and refuses larger ones, which leaves
// the caller to fall back; no released version needs them.
var hugeNumber = regexp.MustCompile(`[0-9]{20}`)

// pairsOf makes comparison pairs from real versions: neighbours in natural
// order (the close calls), then random pairs, both in both directions.
func pairsOf(versions []string, random int) [][2]string {
	vs := slices.Clone(versions)
	slices.SortFunc(vs, NaturalCompare)
	vs = slices.Compact(vs)
	var pairs [][2]string
	for i := 0; i+1 < len(vs); i++ {
		pairs = append(pairs, [2]string{vs[i], vs[i+1]})
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < random && len(vs) > 1; i++ {
		pairs = append(pairs, [2]string{vs[r.IntN(len(vs))], vs[r.IntN(len(vs))]})
	}
	for i := 0; i < len(pairs); i += 2 {
		pairs[i][0], pairs[i][1] = pairs[i][1], pairs[i][0]
	}
	return pairs
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimRight(l, "\r"); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// TestCompareRealVersions checks the ordering of real versions (samples
// committed under testdata/versions, see its README) against the
// ecosystems' own implementations.
func TestCompareRealVersions(t *testing.T) {
	for _, eco := range []string{Dpkg, RPM, Python, Gem, Npm, Java, Composer} {
		t.Run(eco, func(t *testing.T) {
			vs := readLines(t, filepath.Join("testdata", "versions", eco+".txt"))
			checkReference(t, eco, pairsOf(vs, 2000), 150)
		})
	}
}

// TestCompareInstalledDpkgVersions takes the versions of the dpkg
// databases on this machine and in the fixture root filesystems, where
// present, and checks their order against dpkg.
func TestCompareInstalledDpkgVersions(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(fixturesDir, "rootfs", "*", "var", "lib", "dpkg", "status"))
	files = append(files, "/var/lib/dpkg/status")
	var versions []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			if v, ok := strings.CutPrefix(line, "Version: "); ok {
				versions = append(versions, v)
			}
		}
	}
	if len(versions) == 0 {
		t.Skip("no dpkg database on this machine")
	}
	for _, v := range versions {
		if _, err := Compare(Dpkg, v, v); err != nil {
			t.Errorf("installed version refused: %v", err)
		}
	}
	checkReference(t, Dpkg, pairsOf(versions, 1000), 100)
}
