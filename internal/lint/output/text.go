package output

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"github.com/imagedrift/imagedrift/internal/lint"
	"github.com/imagedrift/imagedrift/internal/oneline"
)

// Text writes one line per finding: file:line:col: level rule: message.
// Column is left out when unknown.
func Text(w io.Writer, findings []lint.Finding) error {
	bw := bufio.NewWriter(w)
	for _, f := range findings {
		pos := fmt.Sprintf("%s:%d", f.File, f.Line)
		if f.Column > 0 {
			pos += fmt.Sprintf(":%d", f.Column)
		}
		fmt.Fprintf(bw, "%s: %s %s: %s\n", pos, f.Level, f.Rule, oneline.Fold(f.Message))
	}
	return bw.Flush()
}

// JSON writes the findings as a JSON array ([] when there are none).
func JSON(w io.Writer, findings []lint.Finding) error {
	if findings == nil {
		findings = []lint.Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(findings)
}
