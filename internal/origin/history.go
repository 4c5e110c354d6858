package origin

import (
	"encoding/json"
	"strings"

	"github.com/imagedrift/imagedrift/internal/inventory"
	"github.com/imagedrift/imagedrift/internal/lint"
)

// match lines an image's history up with a Dockerfile's steps, from the
// end: the last entries are the Dockerfile's own, every one the record of
// a step, and the entries before them the base image's. Every step that
// can write files must have its entry; others (ENV, LABEL) may be missing
// where a builder does not record them. It fails when the history does
// not account for every layer, or does not fit the steps.
func match(inv *inventory.Inventory, steps []lint.Step) ([]Layer, bool) {
	hist := inv.Config.History
	n := 0
	for _, h := range hist {
		if !h.EmptyLayer {
			n++
		}
	}
	if n != len(inv.Layers) || n == 0 {
		return nil, false
	}
	step := make([]int, len(hist)) // history entry → step, -1 for the base's
	i, j := len(hist)-1, len(steps)-1
	for i >= 0 && j >= 0 {
		switch {
		case fits(hist[i].CreatedBy, &steps[j]):
			step[i] = j
			i, j = i-1, j-1
		case !steps[j].Layered():
			j--
		default:
			return nil, false
		}
	}
	for ; j >= 0; j-- {
		if steps[j].Layered() {
			return nil, false
		}
	}
	for k := 0; k <= i; k++ {
		step[k] = -1
	}
	layers := make([]Layer, 0, n)
	for k, h := range hist {
		switch {
		case h.EmptyLayer:
		case step[k] < 0:
			layers = append(layers, Layer{Kind: Base})
		default:
			s := &steps[step[k]]
			layers = append(layers, Layer{Kind: Instruction, Line: s.Line, Instruction: s.Text})
		}
	}
	return layers, true
}

// fits reports whether a history entry records the step: its instruction
// is the step's, and for RUN, so is the command.
func fits(createdBy string, s *lint.Step) bool {
	kw, rest := recorded(createdBy)
	if kw != s.Keyword {
		return false
	}
	if kw != "RUN" {
		return true
	}
	return sameCommand(rest, s.Args)
}

// recorded reads the instruction and its arguments from a created_by as
// BuildKit writes it ("RUN /bin/sh -c make # buildkit", "COPY a /b #
// buildkit", "ENV A=1") or the classic builder ("/bin/sh -c #(nop)  ENV
// A=1", "/bin/sh -c make", "|1 A=1 /bin/sh -c make").
func recorded(createdBy string) (keyword, args string) {
	s := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(createdBy), "# buildkit"))
	if rest, ok := strings.CutPrefix(s, "/bin/sh -c #(nop)"); ok {
		kw, args, _ := strings.Cut(strings.TrimSpace(rest), " ")
		return strings.ToUpper(kw), args
	}
	if strings.HasPrefix(s, "/bin/sh -c ") || strings.HasPrefix(s, "|") {
		return "RUN", runArgs(s)
	}
	kw, args, _ := strings.Cut(s, " ")
	if kw = strings.ToUpper(kw); kw == "RUN" {
		args = runArgs(args)
	}
	return kw, args
}

// runArgs drops what a builder puts before a RUN command: the build
// arguments ("|2 A=1 B=2") and the shell ("/bin/sh -c").
func runArgs(s string) string {
	f := strings.Fields(s)
	if len(f) > 0 && strings.HasPrefix(f[0], "|") {
		n := 0
		for _, c := range f[0][1:] {
			if c < '0' || c > '9' {
				n = -1
				break
			}
			n = n*10 + int(c-'0')
		}
		if n >= 0 && n < len(f) {
			f = f[n+1:]
		}
	}
	if len(f) >= 2 && f[0] == "/bin/sh" && f[1] == "-c" {
		f = f[2:]
	}
	return strings.Join(f, " ")
}

// sameCommand compares a recorded command with a step's arguments,
// blanks folded: the exec form ["a", "b"] is recorded as "a b". A
// heredoc's body is not in the line, so a prefix is enough.
func sameCommand(recorded, args string) bool {
	var exec []string
	if strings.HasPrefix(args, "[") && json.Unmarshal([]byte(args), &exec) == nil {
		args = strings.Join(exec, " ")
	}
	a, b := strings.Join(strings.Fields(recorded), " "), strings.Join(strings.Fields(args), " ")
	if a == b {
		return true
	}
	n := min(len(a), len(b), 40)
	return n >= 8 && a[:n] == b[:n]
}
