package packages

import "fmt"

// Captured is the content of a small file kept whole by a Capture
// extractor. Truncated is set when the file was larger than the cap; the
// Data then holds only its first bytes and must not be parsed as complete.
type Captured struct {
	Data      []byte
	Size      int64
	Truncated bool
}

// Capture returns an Extractor that keeps up to max bytes of the file.
func Capture(max int64) Extractor { return &capture{max: max} }

type capture struct {
	max int64
	c   Captured
}

func (c *capture) Write(p []byte) (int, error) {
	n := len(p)
	c.c.Size += int64(n)
	if room := c.max - int64(len(c.c.Data)); room > 0 {
		if int64(len(p)) > room {
			p = p[:room]
		}
		c.c.Data = append(c.c.Data, p...)
	}
	if c.c.Size > c.max {
		c.c.Truncated = true
	}
	return n, nil
}

func (c *capture) Result() (any, error) {
	if c.c.Truncated {
		return &c.c, fmt.Errorf("file is %d bytes, larger than the %d-byte cap; not parsed", c.c.Size, c.max)
	}
	return &c.c, nil
}
