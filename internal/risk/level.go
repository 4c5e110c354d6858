package risk

import "fmt"

// Level of a risk or a verdict.
type Level string

const (
	None   Level = "none"
	Low    Level = "low"
	Medium Level = "medium"
	High   Level = "high"
	// Off, as a per-risk level in a Policy, drops the risk.
	Off Level = "off"
)

// Rank orders levels: none and off 0, low 1, medium 2, high 3.
func (l Level) Rank() int {
	switch l {
	case Low:
		return 1
	case Medium:
		return 2
	case High:
		return 3
	}
	return 0
}

// ParseLevel reads "low", "medium", "high" or "off".
func ParseLevel(s string) (Level, error) {
	switch l := Level(s); l {
	case Low, Medium, High, Off:
		return l, nil
	}
	return "", fmt.Errorf("unknown level %q (want low, medium, high or off)", s)
}

func maxLevel(a, b Level) Level {
	if b.Rank() > a.Rank() {
		return b
	}
	return a
}
