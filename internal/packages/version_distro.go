package packages

import (
	"strconv"
	"strings"

	debversion "github.com/knqyf263/go-deb-version"
	rpmversion "github.com/knqyf263/go-rpm-version"
)

// compareDeb orders Debian versions (deb-version(7)). The library accepts a
// few things dpkg rejects (non-ASCII letters, '_', epochs above INT_MAX),
// so the syntax is checked here first, as dpkg's parseversion does.
func compareDeb(a, b string) (int, error) {
	va, err := parseDeb(a)
	if err != nil {
		return 0, err
	}
	vb, err := parseDeb(b)
	if err != nil {
		return 0, err
	}
	return va.Compare(vb), nil
}

func parseDeb(v string) (debversion.Version, error) {
	s := strings.TrimSpace(v)
	if !printable(s) {
		return debversion.Version{}, errInvalid(v, "empty or not printable ASCII")
	}
	epoch, upstream, revision := splitDeb(s)
	if revision == "" && strings.HasSuffix(s, "-") {
		return debversion.Version{}, errInvalid(v, "revision number is empty")
	}
	if epoch != "" {
		if n, err := strconv.ParseUint(epoch, 10, 31); err != nil || n > 1<<31-1 {
			return debversion.Version{}, errInvalid(v, "epoch is not a number below 2^31")
		}
	}
	if strings.Trim(upstream, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.+~:-") != "" {
		return debversion.Version{}, errInvalid(v, "invalid character in upstream version")
	}
	if strings.Trim(revision, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.+~") != "" {
		return debversion.Version{}, errInvalid(v, "invalid character in revision")
	}
	dv, err := debversion.NewVersion(s)
	if err != nil {
		return debversion.Version{}, errInvalid(v, err.Error())
	}
	return dv, nil
}

// splitDeb cuts [epoch:]upstream[-revision] the way dpkg does: the epoch
// ends at the first colon, the revision starts after the last hyphen.
func splitDeb(v string) (epoch, upstream, revision string) {
	upstream = v
	if i := strings.IndexByte(upstream, ':'); i >= 0 {
		epoch, upstream = upstream[:i], upstream[i+1:]
	}
	if i := strings.LastIndexByte(upstream, '-'); i >= 0 {
		upstream, revision = upstream[:i], upstream[i+1:]
	}
	return epoch, upstream, revision
}

// compareRPM orders [epoch:]version[-release] by rpmvercmp. rpm accepts
// almost any string, so only what rpm's own EVR parser would misread is
// refused: a non-numeric epoch, an empty version, more than one hyphen.
func compareRPM(a, b string) (int, error) {
	for _, v := range []string{a, b} {
		if err := checkEVR(v); err != nil {
			return 0, err
		}
	}
	return rpmversion.NewVersion(a).Compare(rpmversion.NewVersion(b)), nil
}

func checkEVR(v string) error {
	if !printable(v) {
		return errInvalid(v, "empty or not printable ASCII")
	}
	epoch, version, _ := splitEVR(v)
	if epoch != "" {
		if _, err := strconv.ParseUint(epoch, 10, 31); err != nil {
			return errInvalid(v, "epoch is not a number")
		}
	}
	if version == "" || strings.Count(v, "-") > 1 {
		return errInvalid(v, "not [epoch:]version[-release]")
	}
	return nil
}

// splitEVR cuts [epoch:]version[-release] as rpm's parseEVR does.
func splitEVR(v string) (epoch, version, release string) {
	version = v
	if i := strings.IndexByte(version, ':'); i >= 0 {
		epoch, version = version[:i], version[i+1:]
	}
	if i := strings.LastIndexByte(version, '-'); i >= 0 {
		version, release = version[:i], version[i+1:]
	}
	return epoch, version, release
}
