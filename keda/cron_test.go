package keda

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func cronAt(t *testing.T, meta map[string]string, version string) *CronTrigger {
	t.Helper()
	_, f, err := lookupVersion(version)
	require.NoError(t, err)
	c, errs := ParseCronTrigger(meta, !f.cronDesiredPositive)
	require.Empty(t, errs)
	c.inactiveOne = !f.cronInactiveZero
	return c
}

// TestCronWindow pins cron_scaler.go GetMetricsAndActivity to the second:
// the window is [start, end), a window may wrap past midnight, and the
// value outside it is 0 from v2.18.0 (1 before).
func TestCronWindow(t *testing.T) {
	day := time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC) // a Thursday
	office := map[string]string{"timezone": "Etc/UTC", "start": "0 8 * * *", "end": "0 17 * * *", "desiredReplicas": "10"}
	night := map[string]string{"timezone": "Etc/UTC", "start": "0 22 * * *", "end": "0 6 * * *", "desiredReplicas": "3"}
	for _, tc := range []struct {
		meta   map[string]string
		at     time.Duration
		active bool
		value  float64
	}{
		{office, 7*time.Hour + 59*time.Minute + 59*time.Second, false, 0},
		{office, 8 * time.Hour, true, 10},
		{office, 16*time.Hour + 59*time.Minute + 59*time.Second, true, 10},
		{office, 17 * time.Hour, false, 0},
		{night, 23 * time.Hour, true, 3},
		{night, 5*time.Hour + 59*time.Minute, true, 3},
		{night, 6 * time.Hour, false, 0},
	} {
		v, active, err := cronAt(t, tc.meta, "").Observe(day.Add(tc.at))
		require.NoError(t, err)
		require.Equal(t, tc.active, active, "%s at %s", tc.meta["start"], tc.at)
		require.Equal(t, tc.value, v, "%s at %s", tc.meta["start"], tc.at)
	}
	v, _, _ := cronAt(t, office, "2.17.2").Observe(day)
	require.Equal(t, 1.0, v, "before v2.18.0 the value outside the window is 1")

	// A timezone: 8:00 in New York is 13:00 UTC in March (EST, before DST).
	ny := map[string]string{"timezone": "America/New_York", "start": "0 8 * * *", "end": "0 17 * * *", "desiredReplicas": "4"}
	_, active, _ := cronAt(t, ny, "").Observe(day.Add(12*time.Hour + 59*time.Minute))
	require.False(t, active)
	_, active, _ = cronAt(t, ny, "").Observe(day.Add(13 * time.Hour))
	require.True(t, active)

	bad := map[string]string{"timezone": "Mars/Olympus", "start": "0 8 * * *", "end": "0 17 * * *", "desiredReplicas": "4"}
	_, _, err := cronAt(t, bad, "").Observe(day)
	require.ErrorContains(t, err, "unable to load timezone")
}

func TestCronParse(t *testing.T) {
	// cron_scaler_test.go parse table and metric names.
	c, errs := ParseCronTrigger(map[string]string{"timezone": "Etc/UTC", "start": "0 0 * * Thu", "end": "59 23 * * Thu", "desiredReplicas": "10"}, false)
	require.Empty(t, errs)
	require.Equal(t, "s0-cron-Etc-UTC-00xxThu-5923xxThu", cronMetricName(0, c, true))
	c, _ = ParseCronTrigger(map[string]string{"timezone": "Etc/UTC", "start": "0 */2 * * *", "end": "0 1-23/2 * * *", "desiredReplicas": "10"}, false)
	require.Equal(t, "s1-cron-Etc-UTC-0xSl2xxx-01-23Sl2xxx", cronMetricName(1, c, true))
	c, _ = ParseCronTrigger(map[string]string{"timezone": "Etc/UTC", "start": "0,30 * * * *", "end": "15,45 * * * *", "desiredReplicas": "10"}, false)
	require.Equal(t, "s2-cron-Etc-UTC-0Cm30xxxx-15Cm45xxxx", cronMetricName(2, c, true))

	for _, meta := range []map[string]string{
		{},
		{"timezone": "Etc/UTC", "start": "0 8 * * *", "end": "0 8 * * *", "desiredReplicas": "1"},
		{"timezone": "Etc/UTC", "start": "-30 * * * *", "end": "0 8 * * *", "desiredReplicas": "1"},
		{"timezone": "Etc/UTC", "start": "0 8 * * *", "end": "0 9 * * *"},
		{"timezone": "Etc/UTC", "start": "0 8 * * *", "end": "0 9 * * *", "desiredReplicas": "0"},
	} {
		_, errs := ParseCronTrigger(meta, false)
		require.NotEmpty(t, errs, "%v", meta)
	}
	_, errs = ParseCronTrigger(map[string]string{"timezone": "Etc/UTC", "start": "0 8 * * *", "end": "0 9 * * *", "desiredReplicas": "0"}, true)
	require.Empty(t, errs, "before v2.16.0 desiredReplicas 0 was accepted")
}
