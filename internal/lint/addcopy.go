package lint

import (
	"path"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
)

// checkAdd handles ADD of URLs, git repositories and local files.
func (l *linter) checkAdd(in *instr, builds bool) {
	c, ok := in.cmd.(*instructions.AddCommand)
	if !ok {
		return
	}
	for _, raw := range c.SourcePaths {
		src, _, _ := l.d.expand(raw, in.vars)
		off := in.offsetOf(raw)
		if ref, isGit := gitSource(src); isGit {
			if c.Checksum == "" && !fixedRef(ref) {
				at := "its default branch"
				if ref != "" {
					at = "branch " + ref
				}
				l.report(in, RuleGitCloneUnpinned, off,
					"ADD %s builds %s as it is on build day: add #<commit sha> or #<release tag> to the URL, or --checksum=<commit sha>",
					shorten(src), shorten(at))
			}
			continue
		}
		if strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://") {
			if c.Checksum == "" {
				l.report(in, RuleAddURLNoChecksum, off,
					"ADD %s downloads whatever the server returns on build day: add --checksum=sha256:<hex> so the build fails when the file changes",
					shorten(src))
			}
			continue
		}
		if !builds {
			l.checkPrebuilt(in, []string{raw}, c.DestPath)
		}
	}
}

// checkCopy looks at what COPY takes from the build context.
func (l *linter) checkCopy(in *instr, st *stageState, builds bool) {
	c, ok := in.cmd.(*instructions.CopyCommand)
	if !ok || c.From != "" {
		return
	}
	for _, raw := range c.SourcePaths {
		p := cleanSource(raw)
		switch {
		case p == "composer.json":
			st.composerJSON = true
		case p == "." || p == "*" || strings.HasPrefix(p, "composer.") && p != "composer.json":
			st.composerLock = true
		}
	}
	if !builds {
		l.checkPrebuilt(in, c.SourcePaths, c.DestPath)
	}
}

func cleanSource(s string) string {
	s = strings.TrimPrefix(s, "./")
	if s == "" || s == "./" {
		return "."
	}
	return strings.TrimSuffix(s, "/")
}

// prebuiltExt are build outputs, not sources.
var prebuiltExt = map[string]bool{
	".jar": true, ".war": true, ".ear": true, ".exe": true, ".dll": true, ".so": true, ".dylib": true,
	".a": true, ".whl": true, ".deb": true, ".rpm": true, ".nupkg": true, ".msi": true, ".bin": true,
}

// outputDirs are where build tools put their results.
var outputDirs = map[string]bool{"bin": true, "dist": true, "target": true, "out": true, "publish": true, "build": true}

// textExt are files that are sources or configuration even inside an
// output directory name (bin/entrypoint.sh, build/nginx.conf).
var textExt = map[string]bool{
	".sh": true, ".bash": true, ".py": true, ".rb": true, ".js": true, ".mjs": true, ".ts": true, ".pl": true,
	".php": true, ".ps1": true, ".conf": true, ".cfg": true, ".ini": true, ".json": true, ".yaml": true, ".yml": true,
	".toml": true, ".xml": true, ".txt": true, ".md": true, ".env": true, ".properties": true, ".sql": true,
	".lock": true, ".mod": true, ".sum": true, ".gradle": true, ".kts": true, ".go": true, ".java": true,
	".html": true, ".css": true, ".gitkeep": true,
}

// checkPrebuilt reports the first source that looks like a build output
// taken from the context.
func (l *linter) checkPrebuilt(in *instr, sources []string, dest string) {
	for _, raw := range sources {
		p := cleanSource(raw)
		if why := prebuiltReason(p, dest); why != "" {
			l.report(in, RuleCopyPrebuilt, in.offsetOf(raw),
				"%s copies %s from the build context, so the image holds whatever the machine that ran the build had there: build it in a stage of this Dockerfile and COPY --from=that stage",
				strings.ToUpper(in.kw), why)
			return
		}
	}
}

func prebuiltReason(p, dest string) string {
	if p == "." || strings.Contains(p, "$") {
		return ""
	}
	ext := strings.ToLower(path.Ext(p))
	if strings.HasSuffix(p, "*") {
		ext = ""
	}
	first, _, _ := strings.Cut(p, "/")
	switch {
	case prebuiltExt[ext]:
		return "the build output " + shorten(p)
	case textExt[ext]:
		return ""
	case outputDirs[first] && first != "build":
		return shorten(p) + ", a build output directory"
	case first == "build" && (p == "build" || strings.HasPrefix(p, "build/libs") || strings.HasPrefix(p, "build/install")):
		return shorten(p) + ", a build output directory"
	case ext == "" && !strings.Contains(p, "/") && !strings.ContainsAny(p, "*?[") && isBinDir(dest):
		return "the executable " + shorten(p)
	}
	return ""
}

func isBinDir(dest string) bool {
	d := strings.TrimSuffix(dest, "/")
	return strings.HasSuffix(d, "/bin") || strings.HasSuffix(d, "/sbin") || strings.HasPrefix(d, "/usr/local/bin/") ||
		strings.HasPrefix(d, "/usr/bin/") || strings.HasPrefix(d, "/bin/")
}

// buildTools compile or package; a Dockerfile that runs one builds its own
// artifacts, so its COPYs are not taken for prebuilt ones.
var buildTools = map[string]bool{
	"mvn": true, "mvnw": true, "gradle": true, "gradlew": true, "make": true, "cmake": true, "ninja": true,
	"gcc": true, "g++": true, "cc": true, "clang": true, "javac": true, "tsc": true, "webpack": true,
	"vite": true, "ng": true, "rustc": true, "msbuild": true, "bazel": true, "sbt": true, "lein": true,
	"ant": true, "meson": true, "zig": true, "nuxt": true, "next": true,
}

// buildsAnything reports whether some RUN builds, or some COPY takes from
// another stage of the file.
func (l *linter) buildsAnything() bool {
	for _, info := range l.runs {
		for _, c := range info.calls {
			if isBuild(c) {
				return true
			}
		}
	}
	for _, in := range l.d.all {
		if in.stage != nil && len(l.stageSources(in)) > 0 {
			return true
		}
	}
	return false
}

func isBuild(c call) bool {
	n := c.name()
	if buildTools[n] || strings.Contains(n, "build") {
		return true
	}
	sub := ""
	if len(c.args) > 1 {
		sub = c.args[1].s
	}
	switch n {
	case "go":
		return sub == "build" || sub == "install"
	case "cargo":
		return sub == "build" || sub == "install"
	case "dotnet":
		return sub == "build" || sub == "publish"
	case "npm", "yarn", "pnpm", "bun":
		return sub == "run" || sub == "build" || sub == "pack"
	case "pip", "pip3", "python", "python3":
		return sub == "wheel" || sub == "setup.py" || sub == "-m" && len(c.args) > 2 && c.args[2].s == "build"
	case "mix":
		return sub == "release" || sub == "compile"
	}
	return false
}
