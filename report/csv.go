package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/autoscale-sim/autoscale-sim/sim"
)

// csvFixedColumns are the leading columns of every CSV trace; one column
// per metric follows, named after sim.MetricInfo.Name.
var csvFixedColumns = []string{
	"time_seconds",
	"desired_replicas",
	"replicas",
	"ready_replicas",
	"load",
}

// csvJobColumns follow the metric (and backlog) columns of a ScaledJob
// run: its unfinished Jobs, those with no pod running yet, and the
// finished and created counts so far.
var csvJobColumns = []string{"jobs_running", "jobs_pending", "jobs_succeeded", "jobs_failed", "jobs_created"}

// WriteCSV writes the trace of r as CSV (RFC 4180, "\n" line endings): a
// header row, then one row per sample. See the package documentation for
// the columns.
func WriteCSV(w io.Writer, r *sim.Result) error {
	if err := validate(r); err != nil {
		return err
	}
	r = printable(r)
	cw := csv.NewWriter(w)
	header := make([]string, 0, len(csvFixedColumns)+len(r.Metrics))
	header = append(header, csvFixedColumns...)
	for _, m := range r.Metrics {
		header = append(header, m.Name)
	}
	backlog := r.Load.Backlog != ""
	if backlog {
		header = append(header, "backlog")
	}
	jobs := len(r.Samples) > 0 && r.Samples[0].Jobs != nil
	if jobs {
		header = append(header, csvJobColumns...)
	}
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("report: writing CSV header: %w", err)
	}
	row := make([]string, len(header))
	for i, s := range r.Samples {
		row[0] = seconds(s.T)
		row[1] = strconv.FormatInt(int64(s.DesiredReplicas), 10)
		row[2] = strconv.FormatInt(int64(s.Replicas), 10)
		row[3] = strconv.FormatInt(int64(s.ReadyReplicas), 10)
		row[4] = csvNumber(s.Load)
		for j, v := range s.Metrics {
			row[len(csvFixedColumns)+j] = csvNumber(v)
		}
		k := len(csvFixedColumns) + len(r.Metrics)
		if backlog {
			row[k] = csvNumber(s.Backlog)
			k++
		}
		if jobs && s.Jobs != nil {
			j := s.Jobs
			for n, v := range []int32{j.Running, j.Pending, j.Succeeded, j.Failed, j.Created} {
				row[k+n] = strconv.FormatInt(int64(v), 10)
			}
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("report: writing CSV row %d: %w", i, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("report: writing CSV: %w", err)
	}
	return nil
}

// csvNumber is number with NaN written as an empty field and ±Inf as
// "+Inf" / "-Inf" (the spelling of Prometheus and of strconv.ParseFloat).
func csvNumber(v float64) string {
	if s, ok := number(v); ok {
		return s
	}
	if v > 0 {
		return "+Inf"
	}
	if v < 0 {
		return "-Inf"
	}
	return ""
}
