// Package selfcheck holds only tests: they check the repository's own
// files (action.yml, the Dockerfile, the workflows in README.md, the
// release workflow and scripts) the way users will meet them.
package selfcheck
