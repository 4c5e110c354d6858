package vulns

import "github.com/imagedrift/imagedrift/internal/report"

// SourceOptions say which vulnerability data a run asked for. The CLI
// and the action take them from their flags and inputs; the program's
// entry makes the Source from them (the OSV API client, an offline
// database), only when a run asks for one.
type SourceOptions struct {
	// DB is an offline database directory (DIR/<Ecosystem>/all.zip);
	// empty asks the OSV API.
	DB string
	// NoCache keeps the API's records from being cached between runs.
	NoCache bool
}

// Opened is a Source made for one run.
type Opened struct {
	Source Source
	// Info is what the report says of it.
	Info report.VulnSource
	// Warnings are problems that do not stop the lookup, such as a
	// record cache that cannot be opened.
	Warnings []string
	// Close releases it (an offline database's files); nil when there is
	// nothing to release.
	Close func() error
}

// Release calls Close when there is one.
func (o *Opened) Release() {
	if o != nil && o.Close != nil {
		o.Close()
	}
}
