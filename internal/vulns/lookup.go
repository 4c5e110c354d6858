package vulns

import (
	"context"
	"errors"
	"fmt"

	"github.com/imagedrift/imagedrift/internal/packages"
	"github.com/imagedrift/imagedrift/internal/vulns/osv"
)

// Source provides OSV records: for each query, in order, the records that
// may affect the package. The OSV API (osvapi) answers with the records
// that affect the version, an offline database (osvdb) with every record
// of the name; either way Lookup decides with the ecosystem's ordering.
// An error means the source could not answer at all.
type Source interface {
	Find(ctx context.Context, queries []osv.Query) ([]osv.Found, error)
}

// ErrUnavailable is wrapped by Lookup's error when the source could not
// answer (network down, API error, unreadable database): the result would
// otherwise read as "no vulnerabilities".
var ErrUnavailable = errors.New("vulnerability data unavailable")

// side is one version of a change, as OSV keys it.
type side struct {
	query osv.Query
	index int // into the distinct queries; -1 when the side is absent
}

// Lookup evaluates every change of req against the records src provides.
// Changes that cannot be evaluated (an ecosystem or distribution OSV does
// not cover, a version the ecosystem's ordering rejects, a record that
// could not be fetched) are listed in Result.Skipped with the reason;
// the error is reserved for a source that could not answer at all, and
// then wraps ErrUnavailable.
func Lookup(ctx context.Context, src Source, req Request) (*Result, error) {
	res := &Result{}
	var queries []osv.Query
	seen := map[osv.Query]int{}
	add := func(q osv.Query) int {
		if i, ok := seen[q]; ok {
			return i
		}
		seen[q] = len(queries)
		queries = append(queries, q)
		return len(queries) - 1
	}
	type planned struct {
		i             int
		before, after side
	}
	var plan []planned
	for i, c := range req.Changes {
		before, after, err := sides(c, req.Base, req.Head)
		if err != nil {
			res.Skipped = append(res.Skipped, skipped(i, c, err.Error()))
			continue
		}
		p := planned{i: i, before: side{index: -1}, after: side{index: -1}}
		if before != nil {
			p.before = side{*before, add(*before)}
		}
		if after != nil {
			p.after = side{*after, add(*after)}
		}
		plan = append(plan, p)
	}
	var found []osv.Found
	if len(queries) > 0 {
		var err error
		found, err = src.Find(ctx, queries)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
		}
		if len(found) != len(queries) {
			return nil, fmt.Errorf("%w: %d answers to %d queries", ErrUnavailable, len(found), len(queries))
		}
	}
	for _, p := range plan {
		c := req.Changes[p.i]
		if err := answerErr(found, p.before, p.after); err != nil {
			res.Skipped = append(res.Skipped, skipped(p.i, c, err.Error()))
			continue
		}
		pr := evaluateChange(c, p.before, p.after, found)
		pr.Index = p.i
		if len(pr.Fixed)+len(pr.Introduced)+len(pr.StillPresent)+len(pr.Notes) > 0 {
			res.Packages = append(res.Packages, pr)
		}
	}
	res.Totals = totals(res)
	res.Totals.Evaluated = len(req.Changes) - len(res.Skipped)
	return res, nil
}

// sides names both versions of a change as OSV keys them; nil for an
// absent side.
func sides(c Change, base, head packages.Distro) (before, after *osv.Query, err error) {
	if c.From == "" && c.To == "" {
		return nil, nil, errors.New("no version on either side")
	}
	r := packages.Rules(c.Ecosystem)
	name := func(n string) string {
		if n == "" {
			return c.Name
		}
		return n
	}
	if c.From != "" {
		before, err = osvQuery(r, packages.Package{Ecosystem: c.Ecosystem, Name: name(c.PreviousName), Version: c.From,
			Source: c.Before.Source, SourceVersion: c.Before.SourceVersion}, base)
		if err != nil {
			return nil, nil, err
		}
	}
	if c.To != "" {
		after, err = osvQuery(r, packages.Package{Ecosystem: c.Ecosystem, Name: c.Name, Version: c.To,
			Source: c.After.Source, SourceVersion: c.After.SourceVersion}, head)
		if err != nil {
			return nil, nil, err
		}
	}
	return before, after, nil
}

func osvQuery(r packages.EcosystemRules, p packages.Package, d packages.Distro) (*osv.Query, error) {
	o, err := r.OSV(p, d)
	if err != nil {
		return nil, err
	}
	if _, err := r.Compare(o.Version, o.Version); err != nil {
		return nil, fmt.Errorf("version %q cannot be ordered: %w", o.Version, err)
	}
	return &osv.Query{Ecosystem: o.Ecosystem, Name: o.Name, Version: o.Version}, nil
}

func answerErr(found []osv.Found, sides ...side) error {
	for _, s := range sides {
		if s.index >= 0 && found[s.index].Err != nil {
			return fmt.Errorf("%s: %w", s.query, found[s.index].Err)
		}
	}
	return nil
}

func skipped(i int, c Change, reason string) Skipped {
	return Skipped{Index: i, Ecosystem: c.Ecosystem, Name: c.Name, From: c.From, To: c.To, Reason: reason}
}

func totals(res *Result) Totals {
	fixed, introduced, still := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, p := range res.Packages {
		for _, v := range p.Fixed {
			fixed[v.ID] = true
		}
		for _, v := range p.Introduced {
			introduced[v.ID] = true
		}
		for _, v := range p.StillPresent {
			still[v.ID] = true
		}
	}
	return Totals{Fixed: len(fixed), Introduced: len(introduced), StillPresent: len(still), Skipped: len(res.Skipped)}
}
