// Command fakegithub serves the fake GitHub REST API on 127.0.0.1 for
// workflow-runner tests:
//
//	fakegithub [flags] PORTFILE LOGFILE
//
// It writes its TCP port to PORTFILE (through a renamed temporary file,
// so it is never read half-written), appends one JSON line per request to
// LOGFILE, and serves until it is killed (SIGTERM, SIGINT). Each flag can
// also be set by the environment variable named in its help.
package main
