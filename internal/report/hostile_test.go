package report

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"

	"github.com/imagedrift/imagedrift/internal/diff"
	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/lint"
	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/risk"
)

// hostile are names an attacker controls: package names, paths, labels,
// Dockerfile text.
var hostile = []string{
	"a|b|c",
	"`rm -rf /`",
	"``double``",
	"<script>alert(1)</script>",
	"<img src=x onerror=alert(1)>",
	"@org/team",
	"cc @octocat please",
	"</details>",
	"<details><summary>x",
	"<!-- imagedrift:other -->",
	"-->",
	"[click](https://evil.example/)",
	"![img](https://evil.example/x.png)",
	"see www.evil.example now",
	"http://evil.example/path",
	"mail me@evil.example",
	"fixes #1 and acme/web#2",
	"**bold** _it_ ~~gone~~ $x^2$",
	"# heading",
	"- item",
	"1. first",
	"line\nbreak\r\ttab",
	"\x1b[31mred\x1b[0m",
	"bidi \u202eevil\u202c",
	"&lt;entity&gt; &amp;",
	"back\\slash\\|pipe",
	strings.Repeat("x", 10_000),
	strings.Repeat("<", 3_000),
	strings.Repeat("@a", 2_000),
	strings.Repeat("`|", 2_000),
}

func hostileReport(npkg int) *Report {
	base := &inventory.Inventory{Ref: hostile[3], Digest: "sha256:" + strings.Repeat("a", 64),
		Config: inventory.Config{Labels: map[string]string{}}}
	head := &inventory.Inventory{Ref: hostile[5], Digest: "sha256:" + strings.Repeat("b", 64),
		Config: inventory.Config{Labels: map[string]string{}, User: hostile[7]},
		OS:     inventory.OS{ID: hostile[0], PrettyName: hostile[12]}}
	for i, h := range hostile {
		base.Packages = append(base.Packages, packages.Package{Ecosystem: "npm", Name: h, Version: hostile[(i+1)%len(hostile)], Location: "/app/node_modules/" + h + "/package.json"})
		head.Packages = append(head.Packages, packages.Package{Ecosystem: "npm", Name: h, Version: hostile[(i+2)%len(hostile)], Location: "/app/node_modules/" + h + "/package.json"})
		head.Packages = append(head.Packages, packages.Package{Ecosystem: h, Name: h, Version: h, Location: h})
		base.Files = append(base.Files, inventory.File{Path: "/h/" + h, Type: inventory.TypeFile, Size: int64(i), SHA256: contentDigest("1")})
		head.Files = append(head.Files, inventory.File{Path: "/h/" + h, Type: inventory.TypeFile, Size: int64(i) * 1000, SHA256: contentDigest("2"), Mode: 04755})
		head.Config.Labels[h] = h
		head.Config.Env = append(head.Config.Env, "V"+fmt.Sprint(i)+"="+h)
		head.Warnings = append(head.Warnings, packages.Warning{Path: h, Message: h})
		head.Layers = append(head.Layers, inventory.Layer{Digest: h, CreatedBy: h})
	}
	for i := 0; i < npkg; i++ {
		name := fmt.Sprintf("pkg%05d-%s", i, hostile[i%len(hostile)])
		base.Packages = append(base.Packages, packages.Package{Ecosystem: "dpkg", Name: name, Version: "1.0-1", Location: "/var/lib/dpkg/status"})
		if i%3 != 0 {
			head.Packages = append(head.Packages, packages.Package{Ecosystem: "dpkg", Name: name, Version: fmt.Sprintf("%d.0-1", 1+i%3), Location: "/var/lib/dpkg/status"})
		}
		base.Files = append(base.Files, inventory.File{Path: fmt.Sprintf("/usr/share/%s/%05d", hostile[i%len(hostile)], i), Type: inventory.TypeFile, Size: 10, SHA256: contentDigest("x")})
	}
	var findings []lint.Finding
	for _, h := range hostile {
		findings = append(findings, lint.Finding{Rule: h, Level: lint.LevelHigh, File: h, Line: 1, Message: h})
	}
	ch := diff.Compare(base, head, diff.DefaultOptions())
	pol := risk.DefaultPolicy()
	pol.FailOn = []string{"low", "lint:*"}
	extra := risk.Risk{ID: risk.UndeclaredChange, Level: risk.High, Subject: hostile[5], Message: hostile[3]}
	risks, v := risk.Evaluate(ch, findings, pol, extra)
	return Build(Input{Base: base, Head: head, Changes: ch, Findings: findings, Risks: risks, Verdict: v, Version: hostile[1]})
}

func TestMarkdownHostile(t *testing.T) {
	extra := []Section{{Title: "Declared updates", Body: "| Package | Declared |\n| --- | --- |\n| a | 1 |"}}
	for _, tt := range []struct {
		npkg, maxLen int
	}{{0, 0}, {5000, 0}, {5000, 20_000}, {5000, MinMaxLen}, {200, 0}} {
		r := hostileReport(tt.npkg)
		out, kept := markdown(r, MarkdownOptions{Key: "<!-- x --> @team", MaxLen: tt.maxLen, Extra: extra,
			FullReportHint: "the job summary"})
		limit := tt.maxLen
		if limit == 0 {
			limit = GitHubMaxLen
		}
		name := fmt.Sprintf("%d packages, max %d", tt.npkg, limit)
		if len(out) > limit {
			t.Errorf("%s: %d bytes", name, len(out))
		}
		if !strings.HasPrefix(out, "<!-- imagedrift:") {
			t.Errorf("%s: does not start with the marker", name)
		}
		checkMarkdown(t, name, out, kept)
		if tt.npkg == 5000 && !strings.Contains(out, "Shortened to fit") {
			t.Errorf("%s: no note about what was left out", name)
		}
	}
}

var (
	allowedHTML = regexp.MustCompile(`^(<!-- imagedrift:[A-Za-z0-9._/:+=@_-]* -->|<details><summary>(<b>|</b>|[^<>])*</summary>|</details>)$`)
	mention     = regexp.MustCompile(`(^|[^A-Za-z0-9])@[A-Za-z0-9]`)
	reference   = regexp.MustCompile(`#[0-9]`)
)

// checkMarkdown parses out as GitHub would (GFM) and checks that only our
// own HTML is there, every <details> is closed, tables have the rows
// rendered and the cells they should, and no mention, link or reference
// comes from the input.
func checkMarkdown(t *testing.T, name, out string, kept []int) {
	t.Helper()
	src := []byte(out)
	doc := goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser().Parse(text.NewReader(src))
	var rows []int
	depth := 0
	err := ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *east.Table:
			r := 0
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if c.Kind() == east.KindTableRow {
					r++
				}
			}
			rows = append(rows, r)
		case *ast.HTMLBlock:
			for i := 0; i < n.Lines().Len(); i++ {
				line := strings.TrimSpace(string(lineAt(n.Lines(), i, src)))
				if line == "" {
					continue
				}
				if !allowedHTML.MatchString(line) {
					t.Errorf("%s: HTML from input: %q", name, line)
				}
				depth += strings.Count(line, "<details>") - strings.Count(line, "</details>")
				if depth < 0 || depth > 1 {
					t.Errorf("%s: <details> nesting broken at %q", name, line)
				}
			}
		case *ast.RawHTML:
			t.Errorf("%s: inline HTML %q", name, n.Segments.Value(src))
		case *ast.Link, *ast.AutoLink, *ast.Image, *east.Strikethrough, *ast.Heading:
			if h, ok := n.(*ast.Heading); ok && h.Level == 3 || ok && h.Level == 4 {
				return ast.WalkContinue, nil
			}
			t.Errorf("%s: %s from input: %q", name, n.Kind(), nodeText(n, src))
		case *ast.CodeSpan:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			s := string(n.Segment.Value(src))
			if mention.MatchString(s) || reference.MatchString(s) || strings.Contains(strings.ToLower(s), "www.") || strings.Contains(s, "://") {
				t.Errorf("%s: live mention, reference or URL in %q", name, s)
			}
		}
		return ast.WalkContinue, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if depth != 0 {
		t.Errorf("%s: %d <details> left open", name, depth)
	}
	// The extra section's table is the caller's and comes after risks;
	// nil kept (a set of reports) checks everything but the row counts.
	if kept == nil {
		rows = nil
	} else if len(rows) != len(kept)+1 {
		t.Fatalf("%s: %d tables parsed, %d rendered (+1 extra)", name, len(rows), len(kept))
	}
	var want []int
	if kept != nil {
		want = append(append([]int{}, kept[:1]...), 1)
		want = append(want, kept[1:]...)
	}
	for i := range rows {
		if rows[i] != want[i] {
			t.Errorf("%s: table %d has %d rows, %d rendered", name, i, rows[i], want[i])
		}
	}
	checkCells(t, name, out)
	for _, line := range strings.Split(out, "\n") {
		if len(line) > 4000 {
			t.Errorf("%s: a line of %d bytes", name, len(line))
		}
	}
}

// checkCells counts the cell delimiters of each table line the way GFM
// does (a "|" not right after a backslash, code spans included): every row
// must have as many as the header, or a name split a cell.
func checkCells(t *testing.T, name, out string) {
	want := -1
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "|") {
			want = -1
			continue
		}
		n := 0
		for i := 0; i < len(line); i++ {
			if line[i] == '|' && (i == 0 || line[i-1] != '\\') {
				n++
			}
		}
		if want < 0 {
			want = n
		} else if n != want {
			t.Errorf("%s: %d cell delimiters, header has %d: %.200q", name, n, want, line)
		}
	}
}

func nodeText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			b.Write(t.Segment.Value(src))
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

func TestMarker(t *testing.T) {
	for key, want := range map[string]string{
		"Dockerfile:runtime":   "<!-- imagedrift:Dockerfile:runtime -->",
		"a --> <b>":            "<!-- imagedrift:a_____b_ -->",
		"api/Dockerfile@build": "<!-- imagedrift:api/Dockerfile@build -->",
	} {
		if got := Marker(key); got != want {
			t.Errorf("Marker(%q) = %q, want %q", key, got, want)
		}
	}
}

func TestEscape(t *testing.T) {
	tests := []struct{ in, md, html string }{
		{"a|b", `a\|b`, "a|b"},
		{"<b>x</b>", "&lt;b&gt;x&lt;/b&gt;", "&lt;b&gt;x&lt;/b&gt;"},
		{"@org/team", "@\u200dorg/team", "@\u200dorg/team"},
		{"see #12", `see \#` + "\u200d12", "see #\u200d12"},
		{"www.x.io", "www\u200d.x.io", "www\u200d.x.io"},
		{"https://x.io", "https:\u200d//x.io", "https:\u200d//x.io"},
		{"a\nb\x1b[0m", "a b \\[0m", "a b [0m"},
		{"[l](u)", `\[l\](u)`, "[l](u)"},
		{"é" + strings.Repeat("x", 300), "é" + strings.Repeat("x", 98) + "…", ""},
	}
	for _, tt := range tests {
		if got := md(tt.in, capName); got != tt.md {
			t.Errorf("md(%q) = %q, want %q", tt.in, got, tt.md)
		}
		if tt.html != "" {
			if got := html(tt.in, capName); got != tt.html {
				t.Errorf("html(%q) = %q, want %q", tt.in, got, tt.html)
			}
		}
	}
	for in, want := range map[string]string{
		"1.0-1":    "`1.0-1`",
		"a`b":      "``a`b``",
		"`x`":      "`` `x` ``",
		"a|b":      "`a\\|b`",
		"":         "—",
		"x\x00\ny": "`x y`",
	} {
		if got := CodeSpan(in, capName, true); got != want {
			t.Errorf("CodeSpan(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"- x": `\- x`, "1. x": `1\. x`, "12) x": `12\) x`, "x": "x"} {
		if got := mdLine(in, 0); got != want {
			t.Errorf("mdLine(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzMarkdownName(f *testing.F) {
	for _, h := range hostile[:20] {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := &Report{Packages: Packages{Changed: []PackageChange{{Ecosystem: s, Name: s, Location: s, From: s, To: s, Bump: s}}},
			Config: []ConfigChange{{Field: s, Key: s, Before: &s}},
			Risks:  []risk.Risk{{ID: s, Level: risk.Level(s), Subject: s, Message: s}},
			Lint:   []Finding{{Rule: s, Level: s, File: s, Message: s}},
			Files:  Files{Entries: []FileChange{{Path: s, Change: s}}, Added: 1}}
		out, kept := markdown(r, MarkdownOptions{Key: s})
		checkMarkdownFuzz(t, out, kept)
	})
}

func checkMarkdownFuzz(t *testing.T, out string, kept []int) {
	t.Helper()
	src := []byte(out)
	doc := goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser().Parse(text.NewReader(src))
	var rows []int
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *east.Table:
			r := 0
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if c.Kind() == east.KindTableRow {
					r++
				}
			}
			rows = append(rows, r)
		case *ast.HTMLBlock:
			for i := 0; i < n.Lines().Len(); i++ {
				line := strings.TrimSpace(string(lineAt(n.Lines(), i, src)))
				if line != "" && !allowedHTML.MatchString(line) {
					t.Fatalf("HTML from input: %q", line)
				}
			}
		case *ast.RawHTML, *ast.Link, *ast.AutoLink, *ast.Image:
			t.Fatalf("%s from input in %q", n.Kind(), out)
		}
		return ast.WalkContinue, nil
	})
	if fmt.Sprint(rows) != fmt.Sprint(kept) {
		t.Fatalf("tables have %v rows, rendered %v:\n%s", rows, kept, out)
	}
	checkCells(t, "fuzz", out)
}

func lineAt(l *text.Segments, i int, src []byte) []byte {
	seg := l.At(i)
	return seg.Value(src)
}

// A set of many large reports stays within GitHub's limit, parses as
// GitHub would, with the set's verdict first and every image listed.
func TestMarkdownSetBudget(t *testing.T) {
	big := syntheticReport(20_000, 600)
	for _, n := range []int{1, 3, 12, 80} {
		items := make([]SetItem, n)
		for i := range items {
			items[i] = SetItem{Key: fmt.Sprintf("svc-%02d", i), Report: big}
		}
		items[0].Report = hostileReport(50)
		out := MarkdownSet(items, MarkdownOptions{Key: "all"})
		if len(out) > GitHubMaxLen {
			t.Errorf("%d images: %d bytes", n, len(out))
		}
		if !strings.HasPrefix(out, "<!-- imagedrift:all -->\n### 🔴 High risk across ") {
			t.Errorf("%d images: starts %.80q", n, out)
		}
		if !strings.Contains(out, fmt.Sprintf("| `svc-%02d` |", min(n, maxSetItems)-1)) {
			t.Errorf("%d images: the last listed image is missing", n)
		}
		checkMarkdown(t, fmt.Sprintf("set of %d", n), out, nil)
	}
}
