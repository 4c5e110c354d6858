package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/report"
	"github.com/imagedrift/imagedrift/internal/vulns"
	"github.com/imagedrift/imagedrift/internal/vulns/osvtest"
)

// vulnImages are a Debian 9 image whose openssl gets its security update
// (DLA-3008-1) and whose Java application moves log4j-core 2.12.2 →
// 2.13.0, which brings in GHSA-7rjr-3q55-vv33.
func vulnImages() map[string]*inventory.Inventory {
	debian9 := inventory.OS{ID: "debian", VersionID: "9", PrettyName: "Debian GNU/Linux 9 (stretch)"}
	side := func(ref, ssl, log4j string) *inventory.Inventory {
		return &inventory.Inventory{Ref: ref, Digest: "sha256:" + strings.Repeat(ref[len(ref)-1:], 64), OS: debian9,
			Packages: []packages.Package{
				{Ecosystem: packages.Dpkg, Name: "libssl1.1", Version: ssl, Source: "openssl", Location: "/var/lib/dpkg/status", Arch: "amd64"},
				{Ecosystem: packages.Java, Name: "org.apache.logging.log4j:log4j-core", Version: log4j, Location: "/app/lib/log4j-core.jar"},
			}}
	}
	return map[string]*inventory.Inventory{
		"shop:1": side("shop:1", "1.1.0l-1~deb9u5", "2.12.2"),
		"shop:2": side("shop:2", "1.1.0l-1~deb9u6", "2.13.0"),
	}
}

// vulnRun runs imagedrift diff on vulnImages with the environment env;
// no run may read images or make a source it was not asked for.
func vulnRun(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	invs := vulnImages()
	d := &deps{
		load: func(_ context.Context, b, h string, _ loadOptions) (*inventory.Inventory, *inventory.Inventory, error) {
			if invs[b] == nil || invs[h] == nil {
				t.Errorf("unexpected references %q %q", b, h)
			}
			return invs[b], invs[h], nil
		},
		vulns: newVulnSource(func(k string) string { return env[k] }),
	}
	var out, errOut bytes.Buffer
	code = run(context.Background(), append([]string{"diff", "shop:1", "shop:2"}, args...), d,
		streams{In: strings.NewReader(""), Out: &out, Err: &errOut})
	return code, out.String(), errOut.String()
}

func decodeReport(t *testing.T, s string) *report.Report {
	t.Helper()
	var r report.Report
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		t.Fatalf("%v\n%s", err, s)
	}
	return &r
}

// --vulns asks the API named by IMAGEDRIFT_OSV_API and caches the records
// under XDG_CACHE_HOME; --vulns-db reads an offline database and gives the
// same report; the policy fails on the introduced vulnerability.
func TestDiffVulns(t *testing.T) {
	t.Parallel()
	server := osvtest.NewServer(t, true)
	cache := t.TempDir()
	env := map[string]string{envOSVAPI: server.URL, "XDG_CACHE_HOME": cache, "HOME": "/nonexistent"}
	code, out, stderr := vulnRun(t, env, "--vulns", "--format", "json", "--fail-on", "vulnerability-introduced")
	if code != 1 || !strings.Contains(stderr, "policy failed (--fail-on vulnerability-introduced)") {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	api := decodeReport(t, out).Vulnerabilities
	if api == nil || api.Source != (report.VulnSource{Kind: report.VulnSourceAPI, Location: server.URL}) ||
		api.Totals != (report.VulnTotals{Fixed: 1, Introduced: 1, StillPresent: 1, Evaluated: 2}) {
		t.Fatalf("vulnerabilities %+v", api)
	}
	cached, _ := filepath.Glob(filepath.Join(cache, "imagedrift", "osv", "*.json"))
	if len(cached) != 3 {
		t.Errorf("cached records %v, want the three fetched", cached)
	}

	db := osvtest.WriteDB(t, t.TempDir())
	code, out, stderr = vulnRun(t, map[string]string{}, "--vulns-db", db, "--format", "json")
	if code != 0 || stderr != "" {
		t.Fatalf("offline: exit %d, stderr %s", code, stderr)
	}
	offline := decodeReport(t, out).Vulnerabilities
	if offline == nil || offline.Source.Kind != report.VulnSourceOffline || offline.Source.Location != db {
		t.Fatalf("offline source %+v", offline)
	}
	offline.Source = api.Source
	if diff := cmp.Diff(api, offline); diff != "" {
		t.Errorf("the API and the offline database differ (-api +offline):\n%s", diff)
	}
}

// With the API out of reach the run goes on, says so on stderr and in
// the report; when the policy fails on vulnerability-introduced it stops
// with exit 2 and the reason.
func TestDiffVulnsUnavailable(t *testing.T) {
	t.Parallel()
	server := osvtest.NewServer(t, false)
	dead := server.URL
	server.Close()
	env := map[string]string{envOSVAPI: dead}
	t.Run("warning", func(t *testing.T) {
		t.Parallel()
		code, out, stderr := vulnRun(t, env, "--vulns", "--no-vulns-cache", "--format", "markdown", "--fail-on", "high")
		if code != 0 || !strings.HasPrefix(stderr, "imagedrift: warning: known vulnerabilities not checked, the data is unavailable: query OSV: ") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
		if !strings.Contains(out, "⚠️ **Known vulnerabilities were not checked:**") {
			t.Errorf("the report does not say so:\n%s", out)
		}
	})
	t.Run("required", func(t *testing.T) {
		t.Parallel()
		code, out, stderr := vulnRun(t, env, "--vulns", "--no-vulns-cache", "--fail-on", "high,vulnerability-introduced")
		if code != 2 || out != "" || !strings.HasPrefix(stderr, "imagedrift: analyse: vulnerability data unavailable: query OSV: ") ||
			!strings.Contains(stderr, "the policy fails on vulnerability-introduced, so it cannot pass without the data") ||
			strings.Count(stderr, "\n") != 1 {
			t.Errorf("exit %d, stdout %q, stderr %q", code, out, stderr)
		}
	})
}

// Nothing is looked up unasked, and a policy that needs the data says
// what to add; a database that is not there fails before the images are
// read; a bad API URL is named.
func TestDiffVulnsFlags(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		env    map[string]string
		args   []string
		code   int
		stderr string
	}{
		{"off by default", nil, []string{"--format", "json"}, 0, ""},
		{"policy needs the data", nil, []string{"--fail-on", "vulnerability-introduced"}, 2,
			"imagedrift: the policy fails on vulnerability-introduced (--fail-on or the configuration's failOn), which needs vulnerability data: add --vulns"},
		{"missing database", nil, []string{"--vulns-db", "/nonexistent/osv"}, 2, "imagedrift: vulnerability data: open offline OSV database: stat /nonexistent/osv"},
		{"bad API URL", map[string]string{envOSVAPI: "ftp://user:secret@mirror.example/"}, []string{"--vulns"}, 2,
			"imagedrift: vulnerability data: IMAGEDRIFT_OSV_API=\"ftp://user:xxxxx@mirror.example/\": want the http(s) URL of an OSV API"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			invs := vulnImages()
			loaded := false
			d := &deps{
				load: func(_ context.Context, b, h string, _ loadOptions) (*inventory.Inventory, *inventory.Inventory, error) {
					loaded = true
					return invs[b], invs[h], nil
				},
				vulns: func(o vulns.SourceOptions) (*vulns.Opened, error) {
					if tt.args[0] != "--vulns" && tt.args[0] != "--vulns-db" {
						t.Errorf("a source was made for %v", tt.args)
					}
					return newVulnSource(func(k string) string { return tt.env[k] })(o)
				},
			}
			var out, errOut bytes.Buffer
			code := run(context.Background(), append([]string{"diff", "shop:1", "shop:2"}, tt.args...), d, streams{Out: &out, Err: &errOut})
			if code != tt.code || !strings.HasPrefix(errOut.String(), tt.stderr) || (tt.stderr == "") != (errOut.Len() == 0) {
				t.Errorf("exit %d, stderr %q; want %d, %q", code, errOut.String(), tt.code, tt.stderr)
			}
			if loaded != (tt.code == 0) {
				t.Errorf("images read: %v", loaded)
			}
			if tt.code == 0 && decodeReport(t, out.String()).Vulnerabilities != nil {
				t.Error("vulnerabilities in a report that asked for none")
			}
			if strings.Contains(errOut.String(), "secret") {
				t.Error("the URL's password was printed")
			}
		})
	}
}

// The record cache goes to $XDG_CACHE_HOME, else ~/.cache.
func TestOSVCacheDir(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"XDG_CACHE_HOME": "/c", "HOME": "/h"}, "/c/imagedrift/osv"},
		{map[string]string{"XDG_CACHE_HOME": "relative", "HOME": "/h"}, "/h/.cache/imagedrift/osv"},
		{map[string]string{"HOME": "/h"}, "/h/.cache/imagedrift/osv"},
		{nil, ""},
	} {
		if got := osvCacheDir(func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("%v: %q, want %q", tt.env, got, tt.want)
		}
	}
	// A cache that cannot be made is a warning, not a failure.
	ro := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(ro, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	o, err := newVulnSource(func(k string) string { return map[string]string{"XDG_CACHE_HOME": ro}[k] })(vulns.SourceOptions{})
	if err != nil || len(o.Warnings) != 1 || !strings.Contains(o.Warnings[0], "fetched again on every run") {
		t.Errorf("source %+v, %v", o, err)
	}
}

// build takes the same flags: given images, it reads them and looks up
// their changes in the offline database; a policy that needs the data
// without a lookup is refused before anything is built.
func TestBuildVulns(t *testing.T) {
	t.Parallel()
	invs := vulnImages()
	d := &deps{
		load: func(_ context.Context, b, h string, _ loadOptions) (*inventory.Inventory, *inventory.Inventory, error) {
			if invs[b] == nil || invs[h] == nil {
				t.Errorf("unexpected references %q %q", b, h)
			}
			return invs[b], invs[h], nil
		},
		vulns: newVulnSource(func(string) string { return "" }),
	}
	db := osvtest.WriteDB(t, t.TempDir())
	images := []string{"build", "--repo", t.TempDir(), "--base-image", "shop:1", "--head-image", "shop:2"}
	var out, errOut bytes.Buffer
	code := run(context.Background(), append(images, "--vulns-db", db, "--format", "json"), d, streams{Out: &out, Err: &errOut})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if v := decodeReport(t, out.String()).Vulnerabilities; v == nil || v.Totals.Introduced != 1 || v.Source.Kind != report.VulnSourceOffline {
		t.Errorf("vulnerabilities %+v", v)
	}
	errOut.Reset()
	code = run(context.Background(), append(images, "--fail-on", "vulnerability-introduced"), d, streams{Out: &out, Err: &errOut})
	if code != 2 || !strings.Contains(errOut.String(), "add --vulns (asks the OSV API) or --vulns-db DIR") {
		t.Errorf("exit %d: %s", code, errOut.String())
	}
}
