package packages

import (
	"cmp"
	"strconv"
	"strings"
)

// nugetVersion is NuGet's Major.Minor.Patch[.Revision][-Label][+Metadata],
// a SemVer 2.0 superset with a fourth number that SemVer parsers refuse.
type nugetVersion struct {
	nums  [4]uint64
	label []string
}

func parseNuget(v string) (nugetVersion, error) {
	var nv nugetVersion
	s := strings.TrimPrefix(strings.TrimPrefix(v, "v"), "V")
	if i := strings.IndexByte(s, '+'); i >= 0 {
		s = s[:i]
	}
	if i := strings.IndexByte(s, '-'); i >= 0 {
		label := s[i+1:]
		s = s[:i]
		nv.label = strings.Split(label, ".")
		for _, id := range nv.label {
			if id == "" || strings.Trim(id, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-") != "" {
				return nv, errInvalid(v, "bad pre-release label")
			}
		}
	}
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return nv, errInvalid(v, "more than four numbers")
	}
	for i, p := range parts {
		n, err := strconv.ParseUint(p, 10, 64)
		if err != nil {
			return nv, errInvalid(v, "not a NuGet version")
		}
		nv.nums[i] = n
	}
	return nv, nil
}

// compareNuget orders NuGet versions: numbers, then a release sorts after
// any pre-release, then labels by SemVer 2.0 rules, case-insensitively as
// NuGet does.
func compareNuget(a, b string) (int, error) {
	va, err := parseNuget(a)
	if err != nil {
		return 0, err
	}
	vb, err := parseNuget(b)
	if err != nil {
		return 0, err
	}
	for i := range va.nums {
		if c := cmp.Compare(va.nums[i], vb.nums[i]); c != 0 {
			return c, nil
		}
	}
	switch {
	case len(va.label) == 0 && len(vb.label) == 0:
		return 0, nil
	case len(va.label) == 0:
		return 1, nil
	case len(vb.label) == 0:
		return -1, nil
	}
	return comparePrerelease(va.label, vb.label), nil
}

// comparePrerelease applies SemVer 2.0 rule 11 to dot-separated labels,
// comparing alphanumeric identifiers case-insensitively.
func comparePrerelease(a, b []string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		na, errA := strconv.ParseUint(a[i], 10, 64)
		nb, errB := strconv.ParseUint(b[i], 10, 64)
		switch {
		case errA == nil && errB == nil:
			if c := cmp.Compare(na, nb); c != 0 {
				return c
			}
		case errA == nil:
			return -1
		case errB == nil:
			return 1
		default:
			if c := strings.Compare(strings.ToLower(a[i]), strings.ToLower(b[i])); c != 0 {
				return c
			}
		}
	}
	return cmp.Compare(len(a), len(b))
}
