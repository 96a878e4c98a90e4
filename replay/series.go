package replay

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// NameLabel is the label that holds a series' metric name.
const NameLabel = "__name__"

// Series is one recorded time series.
type Series struct {
	// Labels identify the series. They include NameLabel ("__name__") when
	// the metric name is known. Readers never return a nil map.
	Labels map[string]string
	// Points are the samples, in increasing time order, without duplicate
	// timestamps.
	Points []Point
}

// Point is one sample.
type Point struct {
	T time.Time
	V float64
}

// String returns the series' label set in PromQL selector form, for
// example `websocket_connection_count{namespace="demo",pod="ws-0"}`:
// the metric name first, then the other labels sorted by name, values
// quoted like Go strings. A series without labels is "{}". Readers sort
// their output by this string.
func (s Series) String() string {
	return labelsString(s.Labels)
}

func labelsString(labels map[string]string) string {
	var b strings.Builder
	// A name that is not a bare metric name ("0", "a-b") is written as a
	// __name__ matcher, so that the text parses back.
	bare := validMetricName(labels[NameLabel])
	if bare {
		b.WriteString(labels[NameLabel])
	}
	names := make([]string, 0, len(labels))
	for name := range labels {
		if name != NameLabel || !bare && labels[NameLabel] != "" {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	if len(names) == 0 && b.Len() > 0 {
		return b.String()
	}
	b.WriteByte('{')
	for i, name := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(name)
		b.WriteByte('=')
		b.WriteString(strconv.Quote(labels[name]))
	}
	b.WriteByte('}')
	return b.String()
}

// finish sorts each series' points by time, rejects duplicate timestamps
// and sorts the series by label set. where names a series' origin in
// errors (a CSV column, a JSON field path); it may be nil.
func finish(series []Series, where func(i int) string) ([]Series, error) {
	for i := range series {
		s := &series[i]
		if s.Labels == nil {
			s.Labels = map[string]string{}
		}
		slices.SortStableFunc(s.Points, func(a, b Point) int { return a.T.Compare(b.T) })
		for j := 1; j < len(s.Points); j++ {
			if s.Points[j].T.Equal(s.Points[j-1].T) {
				prefix := ""
				if where != nil {
					prefix = where(i) + ": "
				}
				return nil, fmt.Errorf("%sseries %s: duplicate timestamp %s", prefix, s, formatTime(s.Points[j].T))
			}
		}
	}
	keys := make([]string, len(series))
	for i := range series {
		keys[i] = series[i].String()
	}
	order := make([]int, len(series))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(keys[a], keys[b]) })
	out := make([]Series, len(series))
	for i, j := range order {
		out[i] = series[j]
		if i > 0 && keys[order[i-1]] == keys[j] {
			a, b := order[i-1], j
			if a > b {
				a, b = b, a
			}
			if where != nil {
				return nil, fmt.Errorf("%s: series %s appears twice (also %s)", where(b), keys[j], where(a))
			}
			return nil, fmt.Errorf("series %s appears twice", keys[j])
		}
	}
	return out, nil
}

// Shift re-bases series for replay on the simulator's clock: every point
// moves by the same offset, chosen so that the earliest point of all
// series lands on epoch. Spacing between points, within and across
// series, is kept. The input is not modified; series without points are
// copied as they are.
func Shift(series []Series, epoch time.Time) []Series {
	if series == nil {
		return nil
	}
	var first time.Time
	found := false
	for _, s := range series {
		for _, p := range s.Points {
			if !found || p.T.Before(first) {
				first, found = p.T, true
			}
		}
	}
	out := make([]Series, len(series))
	for i, s := range series {
		labels := make(map[string]string, len(s.Labels))
		for k, v := range s.Labels {
			labels[k] = v
		}
		var points []Point
		if s.Points != nil {
			points = make([]Point, len(s.Points))
			for j, p := range s.Points {
				points[j] = Point{T: rebase(p.T, first, epoch), V: p.V}
			}
		}
		out[i] = Series{Labels: labels, Points: points}
	}
	return out
}

// rebase returns epoch + (t - first), computed in seconds and nanoseconds
// so that it is exact however far epoch is from first (a time.Duration
// only spans 292 years).
func rebase(t, first, epoch time.Time) time.Time {
	sec := epoch.Unix() + (t.Unix() - first.Unix())
	nsec := int64(epoch.Nanosecond()) + int64(t.Nanosecond()) - int64(first.Nanosecond())
	return time.Unix(sec, nsec).In(epoch.Location())
}

// parseValue parses a sample value as the Prometheus API writes it:
// a decimal or scientific number, "NaN", "+Inf", "-Inf" (also "Inf").
func parseValue(s string) (float64, error) {
	switch s {
	case "NaN":
		return math.NaN(), nil
	case "+Inf", "Inf":
		return math.Inf(1), nil
	case "-Inf":
		return math.Inf(-1), nil
	}
	if s == "" || strings.ContainsAny(s, "_xXpP") {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, fmt.Errorf("%q is out of range for a float64", s)
		}
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		// Spellings such as "nan" or "infinity": accept only the API's own.
		return 0, fmt.Errorf("%q is not a number (use NaN, +Inf or -Inf)", s)
	}
	return v, nil
}

// maxUnixSeconds bounds accepted Unix times (year 9999) so that every
// accepted time converts to and from durations without overflow.
const maxUnixSeconds = 253402300799

// errNotTime marks text that is not Unix seconds at all (as opposed to
// seconds out of range or too precise).
var errNotTime = errors.New("is not a time")

// parseUnixSeconds parses Unix seconds with an optional sign and fraction
// ("1700000000", "1700000000.5", "-3.25"); the fraction is exact to the
// nanosecond. Scientific notation ("1.7e9") is accepted and rounded to
// the microsecond.
func parseUnixSeconds(s string) (time.Time, error) {
	bad := func() (time.Time, error) { return time.Time{}, fmt.Errorf("%q %w", s, errNotTime) }
	if s == "" {
		return bad()
	}
	if strings.ContainsAny(s, "eE") {
		if strings.ContainsAny(s, "_xXpPnNiI") {
			return bad()
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || math.Abs(f) > maxUnixSeconds {
			return bad()
		}
		micros := math.Round(f * 1e6)
		return time.UnixMicro(int64(micros)).UTC(), nil
	}
	neg := false
	rest := s
	switch rest[0] {
	case '-':
		neg = true
		rest = rest[1:]
	case '+':
		rest = rest[1:]
	}
	intPart, frac, _ := strings.Cut(rest, ".")
	if intPart == "" && frac == "" {
		return bad()
	}
	if !allDigits(intPart) || !allDigits(frac) {
		return bad()
	}
	if len(frac) > 9 {
		return time.Time{}, fmt.Errorf("%q has more than 9 fractional digits", s)
	}
	var sec int64
	if intPart != "" {
		trimmed := strings.TrimLeft(intPart, "0")
		if len(trimmed) > 12 {
			return time.Time{}, fmt.Errorf("%q is out of range", s)
		}
		if trimmed != "" {
			v, err := strconv.ParseInt(trimmed, 10, 64)
			if err != nil {
				return bad()
			}
			sec = v
		}
	}
	if sec > maxUnixSeconds {
		return time.Time{}, fmt.Errorf("%q is out of range", s)
	}
	var nsec int64
	if frac != "" {
		v, _ := strconv.ParseInt(frac+strings.Repeat("0", 9-len(frac)), 10, 64)
		nsec = v
	}
	if neg {
		sec, nsec = -sec, -nsec
	}
	return time.Unix(sec, nsec).UTC(), nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// formatTime renders t for error messages: RFC 3339 in UTC.
func formatTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339Nano)
}

// formatUnixSeconds renders t as Unix seconds with the shortest exact
// fraction, the form the Prometheus API accepts for start and end.
func formatUnixSeconds(t time.Time) string {
	sec, nsec := t.Unix(), int64(t.Nanosecond())
	if nsec == 0 {
		return strconv.FormatInt(sec, 10)
	}
	neg := sec < 0
	if neg {
		// t = sec + nsec/1e9 with sec < 0: print -(|sec|-1).(1e9-nsec).
		sec = -sec - 1
		nsec = 1e9 - nsec
	}
	frac := strings.TrimRight(fmt.Sprintf("%09d", nsec), "0")
	out := strconv.FormatInt(sec, 10) + "." + frac
	if neg {
		out = "-" + out
	}
	return out
}

// formatSeconds renders a duration in seconds for the step parameter.
func formatSeconds(d time.Duration) string {
	return formatUnixSeconds(time.Unix(0, 0).Add(d))
}

// validMetricName reports whether s can stand bare before the braces.
func validMetricName(s string) bool {
	for i, c := range s {
		if !(c == '_' || c == ':' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}
