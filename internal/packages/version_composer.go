package packages

import (
	"cmp"
	"regexp"
	"strings"
)

// Composer orders versions by its own rules (composer/semver), which
// SemVer parsers get wrong in two common cases: stability words compare
// case-insensitively in a fixed order (dev < alpha < beta < RC < stable <
// patch: Symfony's v6.0.0-BETA1 < v6.0.0-RC1 < v6.0.0, but also
// v6.0.0-beta1 < v6.0.0-RC1, where ASCII puts "beta1" last), and a fourth
// number is allowed (1.0.0.1). Branch versions (dev-main) have no order.

var composerRe = regexp.MustCompile(`(?i)^v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:\.([0-9]+))?` +
	`(?:[._-]?(stable|beta|b|rc|alpha|a|patch|pl|p)((?:[.-]?[0-9]+)*))?(?:[.-]?(dev))?(?:\+[0-9a-z.-]*)?$`)

// composerRank places each stability word; a bare "-dev" is below all.
var composerRank = map[string]int{
	"alpha": 1, "a": 1, "beta": 2, "b": 2, "rc": 3, "": 4, "stable": 4, "patch": 5, "pl": 5, "p": 5,
}

type composerVersion struct {
	nums      [4]string // digits without leading zeros
	rank      int
	stability []string // the numbers after the stability word
	dev       bool     // a -dev suffix: before the same version without it
}

func parseComposer(v string) (composerVersion, error) {
	m := composerRe.FindStringSubmatch(v)
	if m == nil {
		return composerVersion{}, errInvalid(v, "not a Composer version")
	}
	if len(m[1]) > 5 {
		// VersionParser reads at most five digits as a major version.
		return composerVersion{}, errInvalid(v, "major version of more than five digits")
	}
	var cv composerVersion
	for i := range cv.nums {
		cv.nums[i] = trimZeros(m[1+i])
	}
	cv.rank = composerRank[strings.ToLower(m[5])]
	for _, n := range strings.FieldsFunc(m[6], func(r rune) bool { return r == '.' || r == '-' }) {
		cv.stability = append(cv.stability, trimZeros(n))
	}
	cv.dev = m[7] != ""
	if cv.dev && m[5] == "" {
		cv.rank, cv.dev = 0, false // 1.0.0-dev: the development line of 1.0.0
	}
	return cv, nil
}

func compareComposer(a, b string) (int, error) {
	va, err := parseComposer(a)
	if err != nil {
		return 0, err
	}
	vb, err := parseComposer(b)
	if err != nil {
		return 0, err
	}
	for i := range va.nums {
		if c := compareDigits(va.nums[i], vb.nums[i]); c != 0 {
			return c, nil
		}
	}
	if c := cmp.Compare(va.rank, vb.rank); c != 0 {
		return c, nil
	}
	// As PHP's version_compare: a missing number sorts before any
	// (beta < beta0 < beta1).
	for i := 0; i < len(va.stability) && i < len(vb.stability); i++ {
		if c := compareDigits(va.stability[i], vb.stability[i]); c != 0 {
			return c, nil
		}
	}
	if c := cmp.Compare(len(va.stability), len(vb.stability)); c != 0 {
		return c, nil
	}
	switch {
	case va.dev && !vb.dev:
		return -1, nil
	case vb.dev && !va.dev:
		return 1, nil
	}
	return 0, nil
}
