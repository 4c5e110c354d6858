package packages

import (
	"regexp"
	"strings"
)

// shape is a version cut into the pieces a bump is read from.
type shape struct {
	epoch    string   // "" for none or zero
	release  []string // the leading dot-separated numbers, without leading zeros
	rest     string   // the rest of the upstream version: pre-release, letters, suffixes
	revision string   // what the distribution adds: Debian revision, apk -rN, rpm release, PEP 440 post/local
	build    string   // SemVer build metadata, which orders nothing
}

var (
	numericPrefixRe = regexp.MustCompile(`^[0-9]+(?:\.[0-9]+)*`)
	// debMarkerRe finds, inside an upstream version, the part a
	// distribution appended: stable and security updates (+deb12u1),
	// backports (~bpo12+1), Ubuntu (ubuntu1, +build1).
	debMarkerRe = regexp.MustCompile(`[+~](?:deb[0-9]|bpo[0-9]|ubuntu[0-9]|build[0-9])|ubuntu[0-9]`)
	apkRelRe    = regexp.MustCompile(`-r[0-9]+$`)
	pep440Re    = regexp.MustCompile(`(?i)^\s*v?(?:([0-9]+)!)?([0-9]+(?:\.[0-9]+)*)` +
		`([-_.]?(?:alpha|a|beta|b|preview|pre|c|rc)[-_.]?[0-9]*)?` +
		`(-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?` +
		`([-_.]?dev[-_.]?[0-9]*)?` +
		`(\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?\s*$`)
)

// shapeOf cuts a version that Compare accepted for the ecosystem.
func shapeOf(ecosystem, v string) shape {
	return Rules(ecosystem).shapeOf(v)
}

func dpkgShape(v string) shape {
	epoch, upstream, revision := splitDeb(strings.TrimSpace(v))
	if loc := debMarkerRe.FindStringIndex(upstream); loc != nil {
		upstream, revision = upstream[:loc[0]], upstream[loc[0]:]+"-"+revision
	}
	return numericShape(epoch, upstream, revision)
}

func apkShape(v string) shape {
	upstream, rel := v, ""
	if loc := apkRelRe.FindStringIndex(v); loc != nil {
		upstream, rel = v[:loc[0]], v[loc[0]:]
	}
	return numericShape("", upstream, rel)
}

func rpmShape(v string) shape { return numericShape(splitEVR(v)) }

// semverShape serves the ecosystems whose versions are SemVer or close to
// it: a "go" or "v" prefix is dropped and build metadata set apart.
func semverShape(v string) shape {
	s := strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(v, "go"), "v"), "V")
	var build string
	if i := strings.IndexByte(s, '+'); i >= 0 {
		s, build = s[:i], s[i+1:]
	}
	sh := numericShape("", s, "")
	sh.build = build
	return sh
}

func plainShape(v string) shape { return numericShape("", v, "") }

func numericShape(epoch, upstream, revision string) shape {
	sh := shape{epoch: strings.TrimLeft(epoch, "0"), revision: revision}
	num := numericPrefixRe.FindString(upstream)
	sh.rest = upstream[len(num):]
	if num != "" {
		for _, n := range strings.Split(num, ".") {
			sh.release = append(sh.release, trimZeros(n))
		}
	}
	return sh
}

// pep440Shape puts pre- and dev-releases in rest, post-releases and the
// local label in revision.
func pep440Shape(v string) shape {
	m := pep440Re.FindStringSubmatch(v)
	if m == nil {
		return numericShape("", v, "")
	}
	sh := numericShape(m[1], m[2], strings.ToLower(m[4]+m[6]))
	sh.rest = strings.ToLower(m[3] + m[5])
	return sh
}
