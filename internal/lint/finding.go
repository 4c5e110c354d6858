package lint

// Level of a finding; the same words as risk levels.
type Level string

const (
	LevelLow    Level = "low"
	LevelMedium Level = "medium"
	LevelHigh   Level = "high"
)

// Finding is one drift source found in a Dockerfile.
type Finding struct {
	Rule    string `json:"rule"`  // stable id, e.g. "unpinned-base-digest"
	Level   Level  `json:"level"` // low | medium | high
	File    string `json:"file"`
	Line    int    `json:"line"`             // 1-based
	Column  int    `json:"column,omitempty"` // 1-based, 0 when unknown
	EndLine int    `json:"endLine,omitempty"`
	Message string `json:"message"` // what is wrong and how to fix it, one line
}
