package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imagedrift/imagedrift/internal/github/api/fakegithub"
	"github.com/imagedrift/imagedrift/internal/github/api/recorded"
)

// The protocol a workflow-runner script relies on: PORTFILE appears with
// the port, every request is one JSON line in LOGFILE, the state file
// says how many comments a pull request has, and the server stops when
// told.
func TestRun(t *testing.T) {
	if _, err := recorded.Dir(); err != nil {
		t.Skip(err)
	}
	dir := t.TempDir()
	port, logf, state := filepath.Join(dir, "api.port"), filepath.Join(dir, "api.jsonl"), filepath.Join(dir, "state.json")
	t.Setenv("FAKEGITHUB_PULLS", "octo/hello#7@1111111111111111111111111111111111111111")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-state", state, "-pull", "octo/hello#8@22,fork", port, logf}, io.Discard)
	}()

	base := "http://127.0.0.1:" + waitFile(t, port, done)
	post(t, base+"/repos/octo/hello/issues/7/comments", `{"body":"<!-- imagedrift:x -->\nreport"}`, 201)
	post(t, base+"/repos/octo/hello/issues/9/comments", `{"body":"x"}`, 404)
	resp, err := http.Get(base + "/repos/octo/hello/pulls/8")
	if err != nil {
		t.Fatal(err)
	}
	var pr struct {
		Head struct {
			SHA  string `json:"sha"`
			Repo struct {
				Fork bool `json:"fork"`
			} `json:"repo"`
		} `json:"head"`
	}
	json.NewDecoder(resp.Body).Decode(&pr)
	resp.Body.Close()
	if pr.Head.SHA != "22" || !pr.Head.Repo.Fork {
		t.Errorf("pull request 8: %+v", pr)
	}

	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if lines := readLines(t, logf); len(lines) != 3 || lines[0]["method"] != "POST" || lines[0]["status"] != float64(201) || lines[2]["path"] != "/repos/octo/hello/pulls/8" {
		t.Errorf("log %v", lines)
	}
	var st fakegithub.State
	b, _ := os.ReadFile(state)
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	if c := st.Comments["octo/hello#7"]; len(c) != 1 || c[0].User != "github-actions[bot]" {
		t.Errorf("state %s", b)
	}
}

func TestReadOnlyFromEnv(t *testing.T) {
	if _, err := recorded.Dir(); err != nil {
		t.Skip(err)
	}
	dir := t.TempDir()
	port := filepath.Join(dir, "port")
	t.Setenv("FAKEGITHUB_READ_ONLY", "1")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-pull", "octo/hello#7@1", port, filepath.Join(dir, "log")}, io.Discard)
	}()
	post(t, "http://127.0.0.1:"+waitFile(t, port, done)+"/repos/octo/hello/issues/7/comments", `{"body":"x"}`, 403)
}

func TestParseErrors(t *testing.T) {
	for _, args := range [][]string{{}, {"only-one"}, {"-pull", "octo/hello#x@1", "p", "l"}, {"-pull", "hello#7@1", "p", "l"}, {"-nope", "p", "l"}} {
		if _, err := parse(args, io.Discard); err == nil {
			t.Errorf("%q accepted", args)
		}
	}
}

func waitFile(t *testing.T, path string, done <-chan error) string {
	t.Helper()
	for range 200 {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			return strings.TrimSpace(string(b))
		}
		select {
		case err := <-done:
			t.Fatalf("fakegithub ended: %v", err)
		case <-time.After(25 * time.Millisecond):
		}
	}
	t.Fatal("no port file")
	return ""
}

func post(t *testing.T, url, body string, want int) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != want {
		t.Errorf("POST %s: %d, want %d", url, resp.StatusCode, want)
	}
}

func readLines(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}
