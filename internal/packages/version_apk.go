package packages

import (
	"cmp"
	"strings"
)

// Alpine versions are ordered here rather than by knqyf263/go-apk-version:
// that library ports the apk-tools 2.10 algorithm, whose leading-zero
// shortcut makes "1.0" sort before "1.0_rc1" and "1.0_beta1" (a release
// read as older than its own pre-releases). apk-tools 2.14 and 3.x, which
// Alpine 3.19 and later ship, define the order implemented below:
//
//	version  = number {"." number} [letter] {"_" suffix [number]} ["~" hex] ["-r" number]
//	suffix   = alpha < beta < pre < rc < (none) < cvs < svn < git < hg < p
//
// Tokens compare pairwise while both versions have a token of the same
// kind: numbers by value, except that a dot-number with a leading zero in
// either version compares as text (Gentoo's rule, 1.01 < 1.1); letters and
// commit hashes as text; suffixes by the rank above. Where the kinds first
// differ, a pre-release suffix (alpha to rc) makes its version the older
// one; otherwise the version whose next token comes later in the grammar
// above (or that ended) is the older: 1.0 < 1.0.1, 1.0-r1 < 1.0a < 1.0.1,
// 1.0 < 1.0_p1, 1.0_rc1 < 1.0.

type apkKind int

const (
	apkFirst    apkKind = iota // the leading number
	apkDigit                   // a dot-number
	apkLetter                  // one lower-case letter after the numbers
	apkSuffix                  // _alpha, _p, ...
	apkSuffixNo                // the number after a suffix
	apkHash                    // ~ and a commit hash
	apkRevision                // -r and the package release
	apkEnd
	apkInvalid
)

var apkSuffixRank = map[string]int{
	"alpha": 0, "beta": 1, "pre": 2, "rc": 3, // pre-releases sort before the release
	"cvs": 5, "svn": 6, "git": 7, "hg": 8, "p": 9,
}

const apkNoSuffix = 4

type apkToken struct {
	kind  apkKind
	value string // the token's text without its separator
	rank  int    // for suffixes
}

// apkTokenizer walks one version string.
type apkTokenizer struct {
	s   string
	tok apkToken
}

func newApkTokenizer(v string) *apkTokenizer {
	t := &apkTokenizer{s: v}
	t.tok = apkToken{kind: apkFirst, value: t.digits()}
	if t.tok.value == "" {
		t.tok.kind = apkInvalid
	}
	return t
}

func (t *apkTokenizer) digits() string { return t.span(isDigit) }
func (t *apkTokenizer) letters() string {
	return t.span(func(c byte) bool { return c >= 'a' && c <= 'z' })
}

func (t *apkTokenizer) span(ok func(byte) bool) string {
	i := 0
	for i < len(t.s) && ok(t.s[i]) {
		i++
	}
	v := t.s[:i]
	t.s = t.s[i:]
	return v
}

// next advances to the next token, checking that the grammar allows it
// after the current one.
func (t *apkTokenizer) next() {
	prev := t.tok.kind
	if len(t.s) == 0 {
		t.tok = apkToken{kind: apkEnd}
		return
	}
	c := t.s[0]
	t.tok = apkToken{kind: apkInvalid}
	switch {
	case c >= 'a' && c <= 'z' && prev <= apkDigit:
		t.tok = apkToken{kind: apkLetter, value: t.s[:1]}
		t.s = t.s[1:]
	case c == '.' && prev <= apkDigit:
		t.s = t.s[1:]
		if d := t.digits(); d != "" {
			t.tok = apkToken{kind: apkDigit, value: d}
		}
	case isDigit(c) && prev == apkSuffix:
		t.tok = apkToken{kind: apkSuffixNo, value: t.digits()}
	case c == '_' && prev <= apkSuffixNo:
		t.s = t.s[1:]
		name := t.letters()
		if rank, ok := apkSuffixRank[name]; ok {
			t.tok = apkToken{kind: apkSuffix, value: name, rank: rank}
		}
	case c == '~' && prev < apkHash:
		t.s = t.s[1:]
		if h := t.span(isHexDigit); h != "" {
			t.tok = apkToken{kind: apkHash, value: h}
		}
	case c == '-' && prev < apkRevision && strings.HasPrefix(t.s, "-r"):
		t.s = t.s[2:]
		if d := t.digits(); d != "" {
			t.tok = apkToken{kind: apkRevision, value: d}
		}
	}
}

func isHexDigit(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func validApk(v string) bool {
	t := newApkTokenizer(v)
	for t.tok.kind < apkEnd {
		t.next()
	}
	return t.tok.kind == apkEnd
}

// compareApkTokens orders two tokens of the same kind.
func compareApkTokens(a, b apkToken) int {
	switch a.kind {
	case apkDigit:
		if a.value[0] == '0' || b.value[0] == '0' {
			return strings.Compare(a.value, b.value)
		}
		return compareDigits(a.value, b.value)
	case apkFirst, apkSuffixNo, apkRevision:
		return compareDigits(trimZeros(a.value), trimZeros(b.value))
	case apkSuffix:
		return cmp.Compare(a.rank, b.rank)
	}
	return strings.Compare(a.value, b.value)
}

// compareApk orders Alpine versions; both must be valid.
func compareApk(a, b string) (int, error) {
	for _, v := range []string{a, b} {
		if !validApk(v) {
			return 0, errInvalid(v, "not an apk version")
		}
	}
	ta, tb := newApkTokenizer(a), newApkTokenizer(b)
	for ta.tok.kind == tb.tok.kind && ta.tok.kind < apkEnd {
		if c := compareApkTokens(ta.tok, tb.tok); c != 0 {
			return c, nil
		}
		ta.next()
		tb.next()
	}
	ka, kb := ta.tok, tb.tok
	switch {
	case ka.kind == kb.kind:
		return 0, nil
	case ka.kind == apkSuffix && ka.rank < apkNoSuffix:
		return -1, nil
	case kb.kind == apkSuffix && kb.rank < apkNoSuffix:
		return 1, nil
	case ka.kind > kb.kind:
		return -1, nil
	}
	return 1, nil
}
