package event

import "testing"

// FuzzDecodeEvent decodes payloads: no panic, and a pull request only
// with a number and full commit ids.
func FuzzDecodeEvent(f *testing.F) {
	f.Add(`{"pull_request":{"number":1,"title":"t","head":{"sha":"4b825dc642cb6eb9a060e54bf8d69288fbee4904","ref":"x"},"base":{"sha":"4b825dc642cb6eb9a060e54bf8d69288fbee4904"}}}`, true)
	f.Add(`{"workflow_run":{"head_sha":"4b825dc642cb6eb9a060e54bf8d69288fbee4904","pull_requests":[{"number":3}]}}`, false)
	f.Add(`{"pull_request":{"number":-1}}`, true)
	f.Fuzz(func(t *testing.T, payload string, pr bool) {
		ev := &Event{Name: "workflow_run"}
		if pr {
			ev.Name = "pull_request"
		}
		if err := ev.decode([]byte(payload)); err != nil {
			return
		}
		if p := ev.PR; p != nil && (p.Number <= 0 || !IsSHA(p.BaseSHA) || !IsSHA(p.HeadSHA) || len(p.Title) > maxTitle) {
			t.Fatalf("accepted %+v", p)
		}
		if r := ev.Run; r != nil && (!IsSHA(r.HeadSHA) || len(r.HeadCommitMessage) > maxMessage) {
			t.Fatalf("accepted %+v", r)
		}
		if ev.PR == nil && ev.Run == nil {
			t.Fatal("no error and nothing decoded")
		}
	})
}
