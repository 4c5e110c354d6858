package lint

import "strings"

// Step is one instruction a build runs, as an image's history records it.
type Step struct {
	Line    int    // first line, 1-based
	Keyword string // upper case: "RUN", "COPY"
	// Text is the instruction as written, continuation lines joined and
	// runs of blanks made one space.
	Text string
	// Args is Text after the keyword and its flags.
	Args string
}

// Layered reports whether the step can write files, and so make a layer.
func (s Step) Layered() bool {
	switch s.Keyword {
	case "RUN", "COPY", "ADD", "WORKDIR":
		return true
	}
	return false
}

// Steps lists what building target (the last stage when "") runs: the
// base image the first stage of its chain starts FROM, and the
// instructions of every stage of the chain in order, FROM lines left out.
// It fails only when the file cannot be parsed, or target names no stage.
func Steps(name string, src []byte, target string) (BaseImage, []Step, error) {
	d, err := parse(name, src)
	if err != nil {
		return BaseImage{}, nil, err
	}
	s := d.targetStage(target)
	if s == nil {
		return BaseImage{}, nil, &noStageError{name: name, target: target}
	}
	var chain []*stage
	for ; s != nil; s = s.parent {
		chain = append(chain, s)
	}
	root := chain[len(chain)-1]
	base := BaseImage{Image: root.image, Ref: root.ref, Kind: kindName(root.kind), Start: -1, End: -1}
	base.Line, base.Column = d.src.position(root.from.offsetOf(root.image))
	var steps []Step
	for i := len(chain) - 1; i >= 0; i-- {
		for _, in := range chain[i].instrs {
			text := strings.Join(strings.Fields(in.text.s), " ")
			args := strings.Join(strings.Fields(in.text.s[min(in.args, len(in.text.s)):]), " ")
			steps = append(steps, Step{Line: in.line, Keyword: strings.ToUpper(in.kw), Text: text, Args: args})
		}
	}
	return base, steps, nil
}

type noStageError struct{ name, target string }

func (e *noStageError) Error() string {
	if e.target == "" {
		return e.name + ": no FROM instruction"
	}
	return e.name + ": no stage named " + e.target
}
