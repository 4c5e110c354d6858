package action

import (
	"context"
	"strconv"

	"github.com/imagedrift/imagedrift/internal/build"
	"github.com/imagedrift/imagedrift/internal/lint"
	"github.com/imagedrift/imagedrift/internal/repro"
)

// reproCheck builds the head twice when the reproducible input asks for
// it, keeps the classification for the report, and returns the first
// build, which stands for the head from then on; nil when not asked, or
// when the head is an image given (nothing to build).
func (r *runner) reproCheck(ctx context.Context, o build.Options, findings []lint.Finding) (*build.Side, error) {
	if !r.in.Reproducible {
		return nil, nil
	}
	if o.HeadImage != "" {
		r.gha.Noticef("imagedrift: reproducible: true is skipped: the head is the image %s, nothing is built", o.HeadImage)
		return nil, nil
	}
	res, err := r.o.repro(ctx, repro.Options{Build: o, Config: r.cfg, Findings: findings,
		Load: r.loadOptions()})
	if err != nil {
		return nil, err
	}
	r.repro = res
	if rp := res.Reproducibility; rp.Reproducible {
		r.gha.Infof("imagedrift: reproducible: two builds gave the same image %s", rp.First)
	} else {
		r.gha.Infof("imagedrift: not reproducible: two builds gave %s and %s", rp.First, rp.Second)
	}
	first := res.Twice.First
	return &first, nil
}

// reproOutput is the reproducible output, when the head was built twice.
func (r *runner) reproOutput() [][2]string {
	if r.repro == nil {
		return nil
	}
	return [][2]string{{"reproducible", strconv.FormatBool(r.repro.Reproducibility.Reproducible)}}
}
