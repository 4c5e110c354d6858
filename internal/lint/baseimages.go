package lint

// Kinds of base a FROM names.
const (
	KindImage   = "image"   // a registry image
	KindStage   = "stage"   // an earlier stage
	KindScratch = "scratch" // the empty image
	KindArg     = "arg"     // a build argument the file leaves open
)

// BaseImage is what a FROM line builds on and where its reference is
// written, so that tools can rewrite it in place.
type BaseImage struct {
	Line   int    `json:"line"`
	Column int    `json:"column"`
	Image  string `json:"image"` // as written
	Ref    string `json:"ref"`   // with build arguments expanded
	Kind   string `json:"kind"`
	// Start and End are the byte offsets of Image in the file; -1 when
	// the reference is not written as one plain run of bytes (split by a
	// line continuation, quoted) and cannot be edited in place.
	Start, End int
}

// BaseImages lists the FROM lines of a Dockerfile in order.
func BaseImages(name string, src []byte) ([]BaseImage, error) {
	d, err := parse(name, src)
	if err != nil {
		return nil, err
	}
	var out []BaseImage
	for _, s := range d.stages {
		b := BaseImage{Image: s.image, Ref: s.ref, Kind: kindName(s.kind), Start: -1, End: -1}
		off := s.from.offsetOf(s.image)
		b.Line, b.Column = d.src.position(off)
		if end := off + len(s.image); end <= len(src) && string(src[off:end]) == s.image {
			b.Start, b.End = off, end
		}
		out = append(out, b)
	}
	return out, nil
}

func kindName(k baseKind) string {
	switch k {
	case baseStage:
		return KindStage
	case baseScratch:
		return KindScratch
	case baseUnresolved:
		return KindArg
	}
	return KindImage
}
