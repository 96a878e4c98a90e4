package scenarios

import (
	"errors"
	"strings"

	"github.com/autoscale-sim/autoscale-sim/sim"
)

// LocateError turns an error of a run of sc into located problems where
// it names a field of the inputs: a query that selects nothing is reported
// at the line of the query (the trigger's metadata.query, or the adapter
// rule that serves the HPA's metric). Other errors are returned as they
// are, prefixed by the scenario file.
func (sc *Scenario) LocateError(err error) error {
	if err == nil {
		return nil
	}
	var eq *sim.EmptyQueryError
	if errors.As(err, &eq) {
		msg := eq.Error()
		path, rest, _ := strings.Cut(msg, ": ")
		p := Problem{Path: path, Message: rest}
		if o, ok := sc.queryOrigins[eq.Metric]; ok {
			p.File, p.Line, p.Path = o.File, o.Line, o.Path
		} else {
			p.File, p.Line = sc.Locate(eq.Field)
		}
		if p.File == "" {
			p.File = sc.File
		}
		return &Error{Problems: []Problem{p}, Cause: err}
	}
	var ql *sim.QueryLimitError
	if errors.As(err, &ql) {
		p := Problem{Path: ql.Field, Message: ql.Err.Error()}
		if o, ok := sc.queryOrigins[ql.Metric]; ok {
			p.File, p.Line, p.Path = o.File, o.Line, o.Path
		} else {
			p.File, p.Line = sc.Locate(ql.Field)
		}
		if p.File == "" {
			p.File = sc.File
		}
		return &Error{Problems: []Problem{p}, Cause: err}
	}
	var an *sim.AdapterNeverServedError
	if errors.As(err, &an) {
		file, line := sc.Locate(an.Field)
		if file == "" {
			file = sc.File
		}
		msg := strings.TrimPrefix(an.Error(), an.Field+": ")
		return &Error{Problems: []Problem{{File: file, Line: line, Path: an.Field, Message: msg}}, Cause: err}
	}
	var ue *sim.UnsupportedError
	if errors.As(err, &ue) {
		file, line := sc.Locate(ue.Field)
		if file == "" {
			file = sc.File
		}
		msg := strings.TrimPrefix(ue.Error(), ue.Field+": ")
		return &Error{Problems: []Problem{{File: file, Line: line, Path: ue.Field, Message: msg}}, Cause: err}
	}
	return &wrapped{file: sc.File, err: err}
}

// wrapped prefixes an error with the scenario file, keeping it for
// errors.As.
type wrapped struct {
	file string
	err  error
}

func (w *wrapped) Error() string { return w.file + ": " + w.err.Error() }
func (w *wrapped) Unwrap() error { return w.err }
