package replay

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// ReadCSV reads a CSV export of recorded metrics, such as a spreadsheet or
// a dashboard's "download CSV".
//
// The first row is the header. Its first column holds the time and is
// named time, timestamp or time_seconds (any case). Times are RFC 3339
// ("2024-05-01T12:00:00Z", fractions and offsets allowed) or Unix seconds
// with an optional fraction ("1714564800.25"). Under time_seconds, plain
// numbers are seconds relative to the start of the recording; they are
// returned as that many seconds after the Unix epoch, ready for [Shift].
//
// Every other column is one series, named by its header: a bare metric
// name (websocket_connection_count) or a PromQL series selector with
// equality matchers (websocket_connection_count{pod="ws-0"}), whose
// labels become [Series.Labels]. Quotes in an unquoted header are taken
// as they are, but a header that contains commas must be quoted as CSV
// requires: "up{job=""api"",pod=""a""}". Cells are sample values:
// numbers, NaN, +Inf or -Inf; an empty cell means no sample. Surrounding
// spaces are ignored and a leading UTF-8 byte order mark is skipped.
//
// Errors name the line and column, for example
// `line 7, column 3: "abc" is not a number`. Two columns naming the same
// series, rows with the wrong number of cells and two samples of one
// series at the same time are errors.
//
// Series are sorted by [Series.String], points by time; a column without
// any sample gives a series without points.
func ReadCSV(r io.Reader) ([]Series, error) {
	cr := csv.NewReader(&bomSkipper{r: r})
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	// Headers such as up{pod="a"} are rarely quoted by hand.
	cr.LazyQuotes = true

	header, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("line 1: empty input, expected a header row")
	}
	if err != nil {
		return nil, csvError(err)
	}
	timeName := strings.ToLower(strings.TrimSpace(header[0]))
	relative := false
	switch timeName {
	case "time", "timestamp":
	case "time_seconds":
		relative = true
	default:
		return nil, fmt.Errorf("line 1, column 1: time column is %q, expected time, timestamp or time_seconds", strings.TrimSpace(header[0]))
	}
	if len(header) < 2 {
		return nil, errors.New("line 1: header has no series columns")
	}
	series := make([]Series, len(header)-1)
	for i, h := range header[1:] {
		h = strings.TrimSpace(h)
		if h == "" {
			return nil, fmt.Errorf("line 1, column %d: empty series name", i+2)
		}
		labels, err := parseSelector(h)
		if err != nil {
			hint := ""
			if strings.Contains(err.Error(), "missing closing '}'") && i+2 < len(header) {
				hint = " (quote a header that contains commas, as CSV requires)"
			}
			return nil, fmt.Errorf("line 1, column %d: series %q: %w%s", i+2, h, err, hint)
		}
		series[i].Labels = labels
	}
	columns := len(header)
	// Where each series' samples came from, for duplicate-time errors.
	lines := make([]map[timeKey]int, len(series))
	for i := range lines {
		lines[i] = map[timeKey]int{}
	}

	for {
		record, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if len(record) != columns {
			return nil, fmt.Errorf("line %d: %d cells, the header has %d", line, len(record), columns)
		}
		cell := strings.TrimSpace(record[0])
		if cell == "" {
			return nil, fmt.Errorf("line %d, column 1: empty time", line)
		}
		t, err := parseCSVTime(cell, relative)
		if err != nil {
			return nil, fmt.Errorf("line %d, column 1: %w", line, err)
		}
		key := timeKey{t.Unix(), t.Nanosecond()}
		for i, raw := range record[1:] {
			raw = strings.TrimSpace(raw)
			if raw == "" {
				continue
			}
			cellLine, _ := cr.FieldPos(i + 1)
			v, err := parseValue(raw)
			if err != nil {
				return nil, fmt.Errorf("line %d, column %d: %w", cellLine, i+2, err)
			}
			if prev, dup := lines[i][key]; dup {
				return nil, fmt.Errorf("line %d, column %d: series %s has a second sample at %s (first on line %d)",
					cellLine, i+2, series[i], formatTime(t), prev)
			}
			lines[i][key] = cellLine
			series[i].Points = append(series[i].Points, Point{T: t, V: v})
		}
	}
	return finish(series, func(i int) string { return fmt.Sprintf("line 1, column %d", i+2) })
}

// timeKey identifies an instant exactly, whatever the year.
type timeKey struct {
	sec  int64
	nsec int
}

// parseCSVTime parses a time cell: RFC 3339 or (relative) Unix seconds.
func parseCSVTime(s string, relative bool) (time.Time, error) {
	if strings.ContainsAny(s, "T:") || strings.Count(s, "-") > 1 {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time", s)
		}
		if t.Year() < 1 || t.Year() > 9999 {
			return time.Time{}, fmt.Errorf("%q is out of range", s)
		}
		return t.UTC(), nil
	}
	t, err := parseUnixSeconds(s)
	if err != nil {
		if !errors.Is(err, errNotTime) {
			return time.Time{}, err
		}
		if relative {
			return time.Time{}, fmt.Errorf("%q is not a number of seconds", s)
		}
		return time.Time{}, fmt.Errorf("%q is neither an RFC 3339 time nor Unix seconds", s)
	}
	return t, nil
}

// csvError turns encoding/csv's errors into "line N, column M: ..." form.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		// pe.Column counts characters, not CSV columns.
		return fmt.Errorf("line %d, character %d: %v", pe.Line, pe.Column, pe.Err)
	}
	return fmt.Errorf("reading CSV: %w", err)
}

// bomSkipper drops a leading UTF-8 byte order mark.
type bomSkipper struct {
	r       io.Reader
	started bool
	buf     []byte
}

func (b *bomSkipper) Read(p []byte) (int, error) {
	if !b.started {
		b.started = true
		head := make([]byte, 3)
		n, err := io.ReadFull(b.r, head)
		head = head[:n]
		if string(head) == "\xef\xbb\xbf" {
			head = nil
		}
		b.buf = head
		if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
			return 0, err
		}
	}
	if len(b.buf) > 0 {
		n := copy(p, b.buf)
		b.buf = b.buf[n:]
		return n, nil
	}
	return b.r.Read(p)
}
