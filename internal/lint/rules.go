package lint

import "sort"

// Rule describes one check: its stable id, the level its findings get
// unless Options.Levels says otherwise, and the text shown to users.
type Rule struct {
	ID      string `json:"id"`
	Level   Level  `json:"level"`
	Summary string `json:"summary"` // one line: what the rule finds
	Help    string `json:"help"`    // why it matters and how to fix it
}

// Rule ids. They are stable: configuration files, suppression comments and
// the `lint:<id>` risk ids depend on them.
const (
	RuleArgNotRecorded     = "arg-not-recorded"
	RuleUnpinnedBaseDigest = "unpinned-base-digest"
	RuleLatestTag          = "latest-tag"
	RuleFromArgNoDefault   = "from-arg-no-default"
	RuleTargetMismatch     = "target-mismatch"
	RuleUnknownTarget      = "unknown-target"
	RulePipeToShell        = "pipe-to-shell"
	RuleAddURLNoChecksum   = "add-url-no-checksum"
	RuleGitCloneUnpinned   = "git-clone-unpinned"
	RulePackageUpgrade     = "package-upgrade"
	RuleCopyPrebuilt       = "copy-prebuilt"
	RuleAptUnpinned        = "apt-unpinned"
	RuleApkUnpinned        = "apk-unpinned"
	RuleRpmUnpinned        = "rpm-unpinned"
	RulePipUnpinned        = "pip-unpinned"
	RuleNpmInstall         = "npm-install"
	RuleGemUnpinned        = "gem-unpinned"
	RuleGoInstallLatest    = "go-install-latest"
	RuleComposerUnpinned   = "composer-unpinned"
)

var catalogue = []Rule{
	{RuleArgNotRecorded, LevelLow,
		"a build argument changes what is built but the image does not record its value",
		"Two builds with different --build-arg values give different images that look alike. Record the value with LABEL (or ENV) in the final stage, e.g. LABEL org.example.version=\"${VERSION}\"."},
	{RuleUnpinnedBaseDigest, LevelMedium,
		"a base image is referenced by tag, not by digest",
		"A tag moves when the publisher pushes again, so the same Dockerfile builds on a different base from one day to the next. Pin the digest and keep the tag for readers: FROM node:22@sha256:…; `imagedrift lint --fix` writes it, and Renovate or Dependabot keep it current."},
	{RuleLatestTag, LevelHigh,
		"a base image uses the latest tag or no tag",
		"latest follows every release of the image, including major ones. Name a version tag (and pin its digest)."},
	{RuleFromArgNoDefault, LevelMedium,
		"FROM uses a build argument that has no default",
		"The base image then depends on what the caller passes with --build-arg, and the Dockerfile alone does not say what is built. Give the ARG a default before the first FROM: ARG BASE=debian:12@sha256:…"},
	{RuleTargetMismatch, LevelMedium,
		"the build target differs from the target that is deployed",
		"The image that is built and diffed is not the one that ships. Build the deployed target, or change the deploy target in the configuration."},
	{RuleUnknownTarget, LevelHigh,
		"a target names no stage of the Dockerfile",
		"docker build --target fails for a stage that does not exist. Use one of the stage names (FROM … AS name)."},
	{RulePipeToShell, LevelHigh,
		"a script downloaded during the build is run directly (curl … | sh)",
		"Whatever the server returns on build day runs as root in the build, unreviewed and unversioned. Download a versioned file, check its checksum (sha256sum -c) and run it, or use ADD --checksum=sha256:… ."},
	{RuleAddURLNoChecksum, LevelMedium,
		"ADD downloads a URL without --checksum",
		"The file behind a URL can change. Add --checksum=sha256:<hex> so the build fails when it does."},
	{RuleGitCloneUnpinned, LevelMedium,
		"git clone (or ADD of a git URL) builds a branch, not a fixed commit",
		"A branch moves. Check out a commit after cloning (git -C DIR checkout <sha>), clone a release tag (--branch v1.2.3), or ADD URL.git#<sha>. Version-like tags are accepted as fixed."},
	{RulePackageUpgrade, LevelMedium,
		"the build upgrades all installed packages",
		"apt-get upgrade, apk upgrade, dnf update and the like install whatever is newest on build day, so two builds of one commit differ. Update by moving the pinned base image to a newer digest instead, and pin the packages you install."},
	{RuleCopyPrebuilt, LevelLow,
		"COPY takes a prebuilt binary or archive from the build context",
		"The artifact depends on whatever the machine that ran docker build had lying around. Build it in a build stage of the Dockerfile and COPY --from=that stage."},
	{RuleAptUnpinned, LevelMedium,
		"apt-get install without a version for every package",
		"Unpinned packages take the newest version in the archive on build day. Pin each as name=version (apt-cache policy NAME shows the candidate)."},
	{RuleApkUnpinned, LevelMedium,
		"apk add without a version for every package",
		"Unpinned packages take the newest version in the index on build day. Pin each as name=version (apk policy NAME shows them)."},
	{RuleRpmUnpinned, LevelMedium,
		"yum/dnf/microdnf/zypper install without a version for every package",
		"Unpinned packages take the newest version in the repositories on build day. Install name-version (dnf list --showduplicates NAME shows them)."},
	{RulePipUnpinned, LevelMedium,
		"pip install of packages without == versions",
		"pip resolves unpinned requirements to the newest release on build day. Pin name==version, or install from a requirements or lock file (pip install -r requirements.txt, best with --require-hashes); install the project itself with --no-deps after its locked dependencies."},
	{RuleNpmInstall, LevelMedium,
		"npm/yarn/pnpm install that does not follow the lockfile, or a package without an exact version",
		"npm install and yarn install without --frozen-lockfile may rewrite the lockfile and pick newer versions. Use npm ci, yarn install --frozen-lockfile (or --immutable), pnpm install --frozen-lockfile, and name@1.2.3 for packages installed by name."},
	{RuleGemUnpinned, LevelMedium,
		"gem install without -v",
		"gem install NAME takes the newest release on build day. Pass -v VERSION (or NAME:VERSION), or install from a Gemfile.lock with bundle install."},
	{RuleGoInstallLatest, LevelMedium,
		"go install/go get of a module at latest, a branch, or a version query",
		"@latest, @main or @v1 resolve to whatever is newest on build day. Name a full version: go install example.com/cmd/tool@v1.2.3."},
	{RuleComposerUnpinned, LevelMedium,
		"composer update, composer require without an exact version, or composer install without composer.lock",
		"Composer resolves version ranges to the newest match on build day. Commit composer.lock, COPY it with composer.json and run composer install; require packages with an exact version."},
}

// Rules returns every rule with its default level, sorted by id.
func Rules() []Rule {
	out := append([]Rule(nil), catalogue...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// IsRule reports whether id names a rule, so that a misspelt id in a
// configuration or a fail-on list is refused rather than matching nothing.
func IsRule(id string) bool {
	_, ok := ruleByID(id)
	return ok
}

// ruleByID finds a rule of the catalogue.
func ruleByID(id string) (Rule, bool) {
	for _, r := range catalogue {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}
