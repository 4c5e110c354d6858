// Package action is the GitHub Actions entry point (imagedrift action): it
// reads the action's inputs and the runner's environment, builds or takes
// the base and head images, diffs them, and publishes the report as files,
// the job summary, step outputs and annotations, with an exit status that
// can gate a pull request as a required check.
package action
