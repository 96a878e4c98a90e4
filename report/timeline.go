package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/autoscale-sim/autoscale-sim/sim"
)

// WriteTimeline writes the events of r as a human-readable timeline in the
// style of the Events section of `kubectl describe hpa`: a header line
// naming the run, one aligned line per event and a summary line. See the
// package documentation for the layout.
func WriteTimeline(w io.Writer, r *sim.Result) error {
	if err := validate(r); err != nil {
		return err
	}
	r = printable(r)
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "Scenario %s: %s on %s, min %d, max %d replicas, seed %d, %s simulated\n",
		orDash(r.Name), orDash(r.Autoscaler), orDash(r.Workload),
		r.MinReplicas, r.MaxReplicas, r.Seed, age(r.Duration))
	if err := writeSettings(bw, r); err != nil {
		return err
	}

	if len(r.Events) == 0 {
		fmt.Fprintln(bw, "  <no events>")
	} else {
		tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  TIME\tSOURCE\tTYPE\tREASON\tREPLICAS\tMESSAGE")
		for _, e := range r.Events {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\n",
				age(e.T), cell(e.Source), cell(e.Type), cell(e.Reason),
				change(e.From, e.To), oneLine(e.Message))
		}
		if err := tw.Flush(); err != nil {
			return fmt.Errorf("report: writing timeline: %w", err)
		}
	}

	fmt.Fprintln(bw, summary(r))
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("report: writing timeline: %w", err)
	}
	return nil
}

// summary is the last line of the timeline: the peak of the desired
// replicas (and when it was first reached), the final replicas and the
// number of events that changed the scale.
func summary(r *sim.Result) string {
	peak, peakAt := r.InitialReplicas, time.Duration(0)
	see := func(n int32, t time.Duration) {
		if n > peak || (n == peak && t < peakAt) {
			peak, peakAt = n, t
		}
	}
	for _, s := range r.Samples {
		see(s.DesiredReplicas, s.T)
	}
	var up, down int
	for _, e := range r.Events {
		if e.To != e.From {
			see(e.To, e.T)
		}
		switch {
		case e.To > e.From:
			up++
		case e.To < e.From:
			down++
		}
	}

	final := "final " + plural(int(r.InitialReplicas), "replica")
	switch {
	case len(r.Samples) > 0:
		last := r.Samples[len(r.Samples)-1]
		final = fmt.Sprintf("final %s (%d ready)", plural(int(last.DesiredReplicas), "replica"), last.ReadyReplicas)
	case up+down > 0:
		for i := len(r.Events) - 1; i >= 0; i-- {
			if e := r.Events[i]; e.From != e.To {
				final = "final " + plural(int(e.To), "replica")
				break
			}
		}
	}
	return fmt.Sprintf("Summary: peak %s at %s, %s, %s (%d up, %d down)",
		plural(int(peak), "replica"), age(peakAt), final,
		plural(up+down, "scale event"), up, down)
}

// change is the REPLICAS cell: "5 -> 4", or "-" when the event did not
// change the scale.
func change(from, to int32) string {
	if from == to {
		return "-"
	}
	return strconv.Itoa(int(from)) + " -> " + strconv.Itoa(int(to))
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// cell is a column value that cannot break the alignment.
func cell(s string) string {
	return orDash(oneLine(s))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// writeSettings writes where the run's values came from and the defaults
// it relies on, before the events, so that a reader knows what was
// simulated before reading what happened.
func writeSettings(w io.Writer, r *sim.Result) error {
	if len(r.Settings) > 0 {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  SETTING\tVALUE\tFROM")
		for _, st := range r.Settings {
			from := st.Source
			if st.Note != "" {
				from += "; " + st.Note
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", cell(st.Name), cell(st.Value), oneLine(from))
		}
		if err := tw.Flush(); err != nil {
			return fmt.Errorf("report: writing timeline: %w", err)
		}
	}
	for _, a := range r.Assumptions {
		fmt.Fprintf(w, "  assumed: %s (%s)\n", oneLine(a.Message), oneLine(a.Hint))
	}
	return nil
}
