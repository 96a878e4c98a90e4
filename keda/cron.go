package keda

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	// The cron trigger's timezones come from the Go distribution's own
	// database, so a run gives the same answer on every machine.
	_ "time/tzdata"

	"github.com/robfig/cron/v3"
)

// CronTrigger is the parsed metadata of a "cron" trigger
// (pkg/scalers/cron_scaler.go parseCronMetadata): a window from start to
// end, as 5-field cron expressions in timezone, during which the trigger
// asks for desiredReplicas.
type CronTrigger struct {
	Timezone, Start, End string
	DesiredReplicas      int64
	start, end           cron.Schedule
	// inactiveOne is KEDA before v2.18.0 (#6886), where the trigger read 1
	// outside its window instead of 0. Loop sets it from the version.
	inactiveOne bool
}

// cronParser is the parser the scaler builds: minute, hour, day of
// month, month, day of week; no seconds, no descriptors such as @daily.
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)

// ParseCronTrigger reads cron metadata: timezone, start, end and
// desiredReplicas are required; start and end must differ and parse as
// 5-field expressions; desiredReplicas must be a positive integer (0 was
// accepted before v2.16.0: zeroDesiredOK). The timezone is not checked
// here, as KEDA only loads it when it polls.
func ParseCronTrigger(metadata map[string]string, zeroDesiredOK bool) (*CronTrigger, []FieldError) {
	c := &CronTrigger{}
	var errs []FieldError
	bad := func(key, format string, args ...any) {
		errs = append(errs, FieldError{key, "error parsing cron metadata: " + fmt.Sprintf(format, args...)})
	}
	req := func(key string) string {
		v, ok := metaValue(metadata, key)
		if !ok {
			bad(key, "missing required parameter %q in [triggerMetadata]", key)
		}
		return v
	}
	c.Timezone, c.Start, c.End = req("timezone"), req("start"), req("end")
	if v := req("desiredReplicas"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		switch {
		case err != nil:
			bad("desiredReplicas", "unable to set param \"desiredReplicas\" value %q: %v", v, err)
		case n == 0 && !zeroDesiredOK:
			bad("desiredReplicas", "no desiredReplicas specified")
		default:
			c.DesiredReplicas = n
		}
	}
	if c.Start != "" && c.Start == c.End {
		bad("end", "start and end can not have exactly same time input")
	}
	if c.Start != "" {
		s, err := cronParser.Parse(c.Start)
		if err != nil {
			bad("start", "error parsing start schedule: %v", err)
		}
		c.start = s
	}
	if c.End != "" {
		e, err := cronParser.Parse(c.End)
		if err != nil {
			bad("end", "error parsing end schedule: %v", err)
		}
		c.end = e
	}
	return c, errs
}

// Observe is GetMetricsAndActivity at now: active when the next end comes
// no later than the next start (robfig's Next is strictly after now, to
// the second), so the window is [start, end). The value is
// desiredReplicas when active, else 0 (1 before v2.18.0). A timezone that
// does not load fails every poll.
func (c *CronTrigger) Observe(now time.Time) (value float64, active bool, err error) {
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return 0, false, fmt.Errorf("unable to load timezone: %v", err)
	}
	t := now.In(loc)
	if !c.end.Next(t).After(c.start.Next(t)) {
		return float64(c.DesiredReplicas), true, nil
	}
	if c.inactiveOne {
		return 1, false, nil
	}
	return 0, false, nil
}

// cronMetricName is the External metric name of trigger i
// (cron_scaler.go GetMetricSpecForScaling with parseCronTimeFormat:
// spaces removed, * as x, / as Sl, ? as Qm and, since v2.20.0, "," as
// Cm; then NormalizeString).
func cronMetricName(i int, c *CronTrigger, commaAsCm bool) string {
	format := func(s string) string {
		s = strings.ReplaceAll(s, " ", "")
		s = strings.ReplaceAll(s, "*", "x")
		s = strings.ReplaceAll(s, "/", "Sl")
		s = strings.ReplaceAll(s, "?", "Qm")
		if commaAsCm {
			s = strings.ReplaceAll(s, ",", "Cm")
		}
		return s
	}
	return fmt.Sprintf("s%d-%s", i, normalizeMetricName(fmt.Sprintf("cron-%s-%s-%s", c.Timezone, format(c.Start), format(c.End))))
}
