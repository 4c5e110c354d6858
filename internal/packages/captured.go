package packages

import "fmt"

// CapturedData returns the content a Capture extractor kept of a file,
// or why there is none to parse: data is not a *Captured, or the file
// (called what in the message) was larger than the capture's max bytes.
// Catalogers pass their own cap, as Captured does not record it.
func CapturedData(data any, what string, max int64) ([]byte, error) {
	c, ok := data.(*Captured)
	if !ok || c == nil {
		return nil, fmt.Errorf("no content captured (got %T)", data)
	}
	if c.Truncated {
		return nil, fmt.Errorf("%s is %d bytes, larger than the %d-byte cap; not parsed", what, c.Size, max)
	}
	return c.Data, nil
}
