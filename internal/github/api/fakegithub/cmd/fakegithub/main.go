package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/imagedrift/imagedrift/internal/github/api/fakegithub"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "fakegithub: %v\n", err)
		os.Exit(2)
	}
}

type config struct {
	fixtures, state, seed, token, user string
	readOnly                           bool
	pulls                              []pull
	portFile, logFile                  string
}

type pull struct {
	repo   string
	number int
	head   string
	fork   bool
}

func parse(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("fakegithub", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: fakegithub [flags] PORTFILE LOGFILE")
		fs.PrintDefaults()
	}
	fs.StringVar(&c.fixtures, "fixtures", os.Getenv("FAKEGITHUB_FIXTURES"),
		"recorded fixture folder, FAKEGITHUB_FIXTURES (default $IMAGEDRIFT_SHARED/fixtures/github, or ../shared/fixtures/github beside the module)")
	fs.StringVar(&c.state, "state", os.Getenv("FAKEGITHUB_STATE"), "write the state as JSON to this file after every change, FAKEGITHUB_STATE")
	fs.StringVar(&c.seed, "seed", os.Getenv("FAKEGITHUB_SEED"), "start from a state file written by -state, FAKEGITHUB_SEED")
	fs.StringVar(&c.token, "token", os.Getenv("FAKEGITHUB_TOKEN"), "accept only this token (others get 401), FAKEGITHUB_TOKEN")
	fs.StringVar(&c.user, "user", os.Getenv("FAKEGITHUB_USER"), "the token's login, author of what is created (default github-actions[bot]), FAKEGITHUB_USER")
	fs.BoolVar(&c.readOnly, "read-only", envBool("FAKEGITHUB_READ_ONLY"),
		`answer writes 403 "Resource not accessible by integration", FAKEGITHUB_READ_ONLY=1`)
	fs.Func("pull", "a pull request, OWNER/NAME#N@HEADSHA[,fork]; repeatable; FAKEGITHUB_PULLS holds several, space-separated",
		func(s string) error { return c.addPull(s) })
	for _, s := range strings.Fields(os.Getenv("FAKEGITHUB_PULLS")) {
		if err := c.addPull(s); err != nil {
			return c, fmt.Errorf("FAKEGITHUB_PULLS: %w", err)
		}
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return c, errors.New("want PORTFILE and LOGFILE")
	}
	c.portFile, c.logFile = fs.Arg(0), fs.Arg(1)
	return c, nil
}

func (c *config) addPull(s string) error {
	spec, fork := strings.CutSuffix(s, ",fork")
	repo, rest, ok1 := strings.Cut(spec, "#")
	num, head, ok2 := strings.Cut(rest, "@")
	n, err := strconv.Atoi(num)
	if !ok1 || !ok2 || err != nil || n <= 0 || strings.Count(repo, "/") != 1 || head == "" {
		return fmt.Errorf("pull request %q: want OWNER/NAME#N@HEADSHA[,fork]", s)
	}
	c.pulls = append(c.pulls, pull{repo: repo, number: n, head: head, fork: fork})
	return nil
}

func envBool(name string) bool {
	b, _ := strconv.ParseBool(os.Getenv(name))
	return b
}

func run(ctx context.Context, args []string, stderr io.Writer) error {
	c, err := parse(args, stderr)
	if err != nil {
		return err
	}
	logf, err := os.OpenFile(c.logFile, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logf.Close()
	s, err := newServer(c, logf)
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	if err := writePort(c.portFile, l.Addr().(*net.TCPAddr).Port); err != nil {
		l.Close()
		return err
	}
	return serve(ctx, l, s)
}

func newServer(c config, log io.Writer) (*fakegithub.Server, error) {
	opts := fakegithub.Options{Fixtures: c.fixtures, User: c.user, Token: c.token, ReadOnly: c.readOnly, Log: log}
	if c.state != "" {
		opts.OnChange = fakegithub.WriteStateFile(c.state)
	}
	s, err := fakegithub.New(opts)
	if err != nil {
		return nil, err
	}
	if c.seed != "" {
		b, err := os.ReadFile(c.seed)
		if err != nil {
			return nil, err
		}
		var st fakegithub.State
		if err := json.Unmarshal(b, &st); err != nil {
			return nil, fmt.Errorf("seed %s: %w", c.seed, err)
		}
		if err := s.Load(st); err != nil {
			return nil, err
		}
	}
	for _, p := range c.pulls {
		s.SetPullRequest(p.repo, p.number, p.head, p.fork)
	}
	if c.state != "" && c.seed == "" && len(c.pulls) == 0 {
		// Write the empty state, so that a script can read it before any change.
		fakegithub.WriteStateFile(c.state)(s.State())
	}
	return s, nil
}

// writePort writes then renames, so that a reader polling for the file
// never reads it half-written.
func writePort(path string, port int) error {
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	if err := os.WriteFile(tmp, []byte(strconv.Itoa(port)), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func serve(ctx context.Context, l net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(sctx)
	}
}
