// Command imagedrift shows what changed between two container images and
// which Dockerfile habits make images drift. See README.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"

	"github.com/imagedrift/imagedrift/internal/oneline"
	"github.com/imagedrift/imagedrift/internal/risk"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// command is one subcommand. run gets the arguments after the subcommand
// name; it returns risk.ErrPolicyFailed for exit code 1, a usageError or any
// other error for exit code 2.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, io streams, d *deps) error
}

// streams are the process's standard streams, injected so commands are
// testable.
type streams struct {
	In     io.Reader
	Out    io.Writer
	Err    io.Writer
	ErrTTY bool // stderr is a terminal: progress may be shown
	OutTTY bool // stdout is a terminal: colour may be used
}

// commands is filled by the init functions of the subcommand files.
var commands = map[string]command{}

// usageError is a mistake in the command line: exit 2 with a hint.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

func main() {
	// An inventory is a few hundred bytes of small objects per file, all
	// live until the command ends. At the runtime's default the heap may
	// grow to twice what is live before a collection, which for an image
	// of a million files is hundreds of megabytes of garbage at the peak;
	// half of that costs about 5% more CPU. GOGC, when set, still wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], defaultDeps(), streams{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		ErrTTY: isTerminal(os.Stderr), OutTTY: isTerminal(os.Stdout),
	})
	stop()
	os.Exit(code)
}

// gcPercent is the collector's target: the heap may grow to 1.5 times
// the live heap.
const gcPercent = 50

// run dispatches to a subcommand and maps its error to an exit code.
func run(ctx context.Context, args []string, d *deps, s streams) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(s.Err)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(s.Err, "imagedrift: unknown command %q (run 'imagedrift help')\n", args[0])
		return 2
	}
	err := cmd.run(ctx, args[1:], s, d)
	return exitCode(args[0], err, s.Err)
}

// exitCode maps a command's error to the exit code and prints it as one
// line; a mistake on the command line also says where the usage is.
func exitCode(name string, err error, stderr io.Writer) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, risk.ErrPolicyFailed):
		return 1
	case errors.Is(err, errHelp):
		return 0
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "imagedrift: %s (see imagedrift %s -h)\n", oneline.Fold(err.Error()), name)
		return 2
	}
	fmt.Fprintf(stderr, "imagedrift: %s\n", oneline.Fold(err.Error()))
	return 2
}

// errHelp is returned when -h was asked for; the flag set printed usage.
var errHelp = errors.New("help requested")

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: imagedrift <command> [flags]")
	fmt.Fprintln(w)
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
