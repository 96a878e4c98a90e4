package report

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/autoscale-sim/autoscale-sim/sim"
)

// validate checks the invariants every writer relies on: a non-nil result,
// unique metric names and one value per metric in every sample.
func validate(r *sim.Result) error {
	if r == nil {
		return errors.New("report: nil result")
	}
	seen := make(map[string]int, len(r.Metrics))
	for i, m := range r.Metrics {
		if m.Name == "" {
			return fmt.Errorf("report: metric %d has an empty name", i)
		}
		if j, ok := seen[m.Name]; ok {
			return fmt.Errorf("report: metrics %d and %d have the same name %q", j, i, m.Name)
		}
		seen[m.Name] = i
	}
	for i, s := range r.Samples {
		if len(s.Metrics) != len(r.Metrics) {
			return fmt.Errorf("report: sample %d (t=%s) has %d metric values, want %d (one per metric)",
				i, seconds(s.T), len(s.Metrics), len(r.Metrics))
		}
	}
	return nil
}

// seconds formats d as a number of seconds: an integer when d is a whole
// number of seconds ("750"), otherwise an exact decimal without trailing
// zeros ("0.25", "90.5"). It never goes through float64, so it is exact
// for every Duration.
func seconds(d time.Duration) string {
	neg := d < 0
	u := uint64(d)
	if neg {
		u = -u
	}
	whole, frac := u/uint64(time.Second), u%uint64(time.Second)
	s := strconv.FormatUint(whole, 10)
	if frac != 0 {
		f := fmt.Sprintf("%09d", frac)
		s += "." + strings.TrimRight(f, "0")
	}
	if neg {
		s = "-" + s
	}
	return s
}

// number formats v in the shortest representation that parses back to the
// same float64 (strconv 'g' with precision -1). NaN and ±Inf are reported as
// not ok.
func number(v float64) (string, bool) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "", false
	}
	return strconv.FormatFloat(v, 'g', -1, 64), true
}

// age formats d the way kubectl prints ages, largest unit first and
// trailing zero units dropped: "0s", "45s", "2m", "12m30s", "1h", "1h2m3s",
// "1h0m5s". Sub-second offsets keep their decimals ("1m0.5s").
func age(d time.Duration) string {
	if d < 0 {
		return "-" + age(-d)
	}
	h := d / time.Hour
	d -= h * time.Hour
	m := d / time.Minute
	d -= m * time.Minute
	var b strings.Builder
	if h > 0 {
		fmt.Fprintf(&b, "%dh", h)
	}
	if m > 0 || (h > 0 && d > 0) {
		fmt.Fprintf(&b, "%dm", m)
	}
	if d > 0 || b.Len() == 0 {
		b.WriteString(seconds(d))
		b.WriteString("s")
	}
	return b.String()
}

// oneLine replaces line breaks and tabs so that a free-text field cannot
// break the layout of a line-oriented output.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '\n', '\r', '\t', '\v', '\f':
			return ' '
		}
		return r
	}, s)
}
