// Package report assembles the report of a comparison (the JSON contract,
// schemaVersion 1, described by report.schema.json) and renders it as text
// for terminals, JSON, or Markdown for pull-request comments, where
// everything from an image is escaped and the length fits GitHub's limit.
package report
