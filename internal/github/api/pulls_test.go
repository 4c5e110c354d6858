package api_test

import (
	"context"
	"testing"

	"github.com/imagedrift/imagedrift/internal/github/api"
	"github.com/imagedrift/imagedrift/internal/github/api/apitest"
)

func TestPullRequest(t *testing.T) {
	same := api.PullRequest{Number: 2, State: "open", HTMLURL: "https://github.com/<GITHUB_LOGIN>/<GITHUB_TEST_REPOSITORY>/pull/2",
		HeadSHA: "9bf22dff54fd6a7650230b70417b55e8cccfc4f2", HeadRef: "branch-for-pr",
		BaseSHA: "626ee940f85663dadf245210aaf8ded281fd4cd6", BaseRef: "master", HeadRepo: "<GITHUB_LOGIN>/<GITHUB_TEST_REPOSITORY>"}
	fork := same
	fork.HeadRepo, fork.HeadRepoFork, fork.CrossRepository = "contributor/hello", true, true
	deleted := same
	deleted.HeadRepo, deleted.CrossRepository = "", true
	tests := []struct {
		name   string
		derive func(pr map[string]any) // applied to the recorded GET pulls/2 body
		want   api.PullRequest
	}{
		{"recorded, same repository", nil, same},
		{"derived: head in a fork", func(pr map[string]any) {
			r := pr["head"].(map[string]any)["repo"].(map[string]any)
			r["full_name"], r["fork"] = "contributor/hello", true
		}, fork},
		{"derived: head repository deleted", func(pr map[string]any) { pr["head"].(map[string]any)["repo"] = nil }, deleted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			x := apitest.Exchange(t, fxPR, 4)
			if tt.derive != nil {
				x.Body = apitest.Edit(t, x.Body, func(v any) any { tt.derive(v.(map[string]any)); return v })
			}
			e.on("GET", "repos/octo/hello/pulls/2", apitest.Serve(x))
			got, err := e.c.PullRequest(context.Background(), repo, 2)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}
