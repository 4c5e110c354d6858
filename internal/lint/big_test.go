package lint

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestLargeFileIsLinear lints a 1 MB Dockerfile of ARGs, ENVs and RUNs;
// the rules must stay roughly linear in the size of the file.
func TestLargeFileIsLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("large input")
	}
	var b strings.Builder
	b.WriteString("FROM alpine:3.19\n")
	for i := 0; b.Len() < 1<<20; i++ {
		fmt.Fprintf(&b, "ARG A%d=%d\nENV E%d=$A%d\nRUN apk add p%d && curl -s https://x/%d | sh\n", i, i, i, i, i, i)
	}
	start := time.Now()
	fs, err := Lint("Dockerfile", []byte(b.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) < 1000 {
		t.Errorf("only %d findings", len(fs))
	}
	if d := time.Since(start); d > 60*time.Second {
		t.Errorf("linting 1 MB took %v", d)
	}
	t.Logf("1 MB, %d findings, %v", len(fs), time.Since(start))
}
