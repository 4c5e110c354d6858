package main

import (
	"flag"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/imagedrift/imagedrift/internal/layercache"
	"github.com/imagedrift/imagedrift/internal/oneline"
	"github.com/imagedrift/imagedrift/internal/report"
	"github.com/imagedrift/imagedrift/internal/risk"
	"github.com/imagedrift/imagedrift/internal/vulns"
	"github.com/imagedrift/imagedrift/internal/vulns/osvapi"
	"github.com/imagedrift/imagedrift/internal/vulns/osvcache"
	"github.com/imagedrift/imagedrift/internal/vulns/osvdb"
)

// envOSVAPI overrides the OSV API's base URL: a mirror, or a test's fake.
const envOSVAPI = "IMAGEDRIFT_OSV_API"

// newVulnSource makes the vulnerability source a run asked for, reading
// the environment through getenv: the offline database in o.DB, else the
// OSV API (at $IMAGEDRIFT_OSV_API when set) with its records cached in
// $XDG_CACHE_HOME/imagedrift/osv (~/.cache/imagedrift/osv) unless
// o.NoCache. A cache that cannot be opened is a warning: it only costs
// fetches.
func newVulnSource(getenv func(string) string) func(vulns.SourceOptions) (*vulns.Opened, error) {
	return func(o vulns.SourceOptions) (*vulns.Opened, error) {
		if o.DB != "" {
			db, err := osvdb.Open(o.DB, osvdb.DefaultLimits)
			if err != nil {
				return nil, err
			}
			abs, err := filepath.Abs(o.DB)
			if err != nil {
				abs = o.DB
			}
			return &vulns.Opened{Source: db, Info: report.VulnSource{Kind: report.VulnSourceOffline, Location: abs}, Close: db.Close}, nil
		}
		base := osvapi.DefaultBaseURL
		if u := strings.TrimSpace(getenv(envOSVAPI)); u != "" {
			p, err := url.Parse(u)
			if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
				return nil, fmt.Errorf("%s=%q: want the http(s) URL of an OSV API", envOSVAPI, redactURL(u))
			}
			base = u
		}
		opened := &vulns.Opened{Info: report.VulnSource{Kind: report.VulnSourceAPI, Location: redactURL(base)}}
		var cache *osvcache.Dir
		if !o.NoCache {
			if dir := osvCacheDir(getenv); dir != "" {
				var err error
				if cache, err = osvcache.Open(dir); err != nil {
					opened.Warnings = append(opened.Warnings, fmt.Sprintf("%v: OSV records are fetched again on every run", err))
				}
			}
		}
		opened.Source = osvapi.New(osvapi.Options{BaseURL: base, Cache: cache, UserAgent: "imagedrift/" + version})
		return opened, nil
	}
}

// osvCacheDir is the "osv" folder of the caches' directory:
// $XDG_CACHE_HOME/imagedrift/osv, or ~/.cache/imagedrift/osv; "" without
// either variable.
func osvCacheDir(getenv func(string) string) string {
	if d := layercache.DefaultDir(getenv); d != "" {
		return filepath.Join(d, "osv")
	}
	return ""
}

// redactURL hides a password a mirror's URL may carry: the URL goes into
// reports and error lines.
func redactURL(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparsable URL)"
	}
	return p.Redacted()
}

// addVulnFlags registers the flags of a vulnerability lookup, which diff
// and build share; the function returned says, once parsed, what they ask
// for: nil for no lookup. A database given beside --vulns wins: nothing
// is sent then.
func addVulnFlags(fs *flag.FlagSet) func() *vulns.SourceOptions {
	api := fs.Bool("vulns", false, "look up the known vulnerabilities of the changed packages in the OSV API: sends their names and versions to api.osv.dev (or $"+envOSVAPI+")")
	db := fs.String("vulns-db", "", "look them up in an offline OSV database in `DIR` (DIR/<Ecosystem>/all.zip, as osv.dev exports them); nothing is sent")
	noCache := fs.Bool("no-vulns-cache", false, "do not keep OSV records between runs (default: cached in $XDG_CACHE_HOME/imagedrift/osv)")
	return func() *vulns.SourceOptions {
		if !*api && *db == "" {
			return nil
		}
		return &vulns.SourceOptions{DB: *db, NoCache: *noCache}
	}
}

// checkVulns refuses a policy that fails on vulnerability-introduced in a
// run that looks nothing up: it could never match, and a check that
// passes without the data misleads.
func (c *diffCmd) checkVulns() error {
	if c.vulns == nil && vulns.RequiredBy(c.cfg.Policy(c.failOn).FailOn) {
		return usagef("the policy fails on %s (--fail-on or the configuration's failOn), which needs vulnerability data: "+
			"add --vulns (asks the OSV API) or --vulns-db DIR (an offline database)", risk.VulnerabilityIntroduced)
	}
	return nil
}

// warn prints warnings on stderr, one line each.
func warn(w io.Writer, msgs ...string) {
	for _, m := range msgs {
		fmt.Fprintf(w, "imagedrift: warning: %s\n", oneline.Fold(m))
	}
}
