package osv

import (
	"errors"
	"fmt"
	"math"
	"strings"

	gocvss20 "github.com/pandatix/go-cvss/20"
	gocvss30 "github.com/pandatix/go-cvss/30"
	gocvss31 "github.com/pandatix/go-cvss/31"
	gocvss40 "github.com/pandatix/go-cvss/40"
)

// maxVectorLen bounds a CVSS vector; a complete v4.0 vector with every
// environmental and supplemental metric is about 250 bytes.
const maxVectorLen = 512

// ErrVector is wrapped when a CVSS vector does not parse.
var ErrVector = errors.New("invalid CVSS vector")

// CVSS is the score of a vector and its qualitative rating: "none",
// "low", "medium", "high" or "critical" (CVSS v3 and v4 rating scales;
// v2, which defines none, gets NVD's low/medium/high bands).
type CVSS struct {
	Version string // "2.0", "3.0", "3.1", "4.0"
	Score   float64
	Rating  string
}

// ScoreCVSS computes the score of a CVSS v2, v3.0, v3.1 or v4.0 vector
// with github.com/pandatix/go-cvss, which implements each version's
// specification (the v4.0 macro-vector tables included) and is fuzzed
// upstream. For a base vector this is the base score; threat and
// environmental metrics, when a vector carries them, are applied as the
// specification says.
func ScoreCVSS(vector string) (CVSS, error) {
	if len(vector) > maxVectorLen {
		return CVSS{}, fmt.Errorf("%w: longer than %d bytes", ErrVector, maxVectorLen)
	}
	var c CVSS
	switch {
	case strings.HasPrefix(vector, "CVSS:4.0/"):
		v, err := gocvss40.ParseVector(vector)
		if err != nil {
			return CVSS{}, fmt.Errorf("%w %q: %v", ErrVector, vector, err)
		}
		c = CVSS{Version: "4.0", Score: v.Score()}
	case strings.HasPrefix(vector, "CVSS:3.1/"):
		v, err := gocvss31.ParseVector(vector)
		if err != nil {
			return CVSS{}, fmt.Errorf("%w %q: %v", ErrVector, vector, err)
		}
		c = CVSS{Version: "3.1", Score: v.BaseScore()}
	case strings.HasPrefix(vector, "CVSS:3.0/"):
		v, err := gocvss30.ParseVector(vector)
		if err != nil {
			return CVSS{}, fmt.Errorf("%w %q: %v", ErrVector, vector, err)
		}
		c = CVSS{Version: "3.0", Score: v.BaseScore()}
	case strings.HasPrefix(vector, "AV:"):
		v, err := gocvss20.ParseVector(vector)
		if err != nil {
			return CVSS{}, fmt.Errorf("%w %q: %v", ErrVector, vector, err)
		}
		c = CVSS{Version: "2.0", Score: v.BaseScore()}
	default:
		return CVSS{}, fmt.Errorf("%w %q: unknown version", ErrVector, vector)
	}
	if math.IsNaN(c.Score) || c.Score < 0 || c.Score > 10 {
		return CVSS{}, fmt.Errorf("%w %q: score %v out of range", ErrVector, vector, c.Score)
	}
	c.Rating = rating(c.Version, c.Score)
	return c, nil
}

func rating(version string, score float64) string {
	switch {
	case version == "2.0" && score >= 7:
		return "high"
	case version == "2.0" && score >= 4:
		return "medium"
	case version == "2.0":
		return "low"
	case score >= 9:
		return "critical"
	case score >= 7:
		return "high"
	case score >= 4:
		return "medium"
	case score >= 0.1:
		return "low"
	}
	return "none"
}
