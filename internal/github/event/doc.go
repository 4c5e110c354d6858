// Package event reads the event that started a workflow run
// (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH): the pull request of a
// pull_request event, or the triggering run of a workflow_run event,
// with its untrusted text bounded.
package event
