package report

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestSeconds(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0"},
		{time.Second, "1"},
		{750 * time.Second, "750"},
		{250 * time.Millisecond, "0.25"},
		{90*time.Second + 500*time.Millisecond, "90.5"},
		{time.Nanosecond, "0.000000001"},
		{-1500 * time.Millisecond, "-1.5"},
		{math.MinInt64, "-9223372036.854775808"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			require.Equal(t, tt.want, seconds(tt.d))
		})
	}
}

func TestAge(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"},
		{45 * time.Second, "45s"},
		{2 * time.Minute, "2m"},
		{12*time.Minute + 30*time.Second, "12m30s"},
		{time.Hour, "1h"},
		{time.Hour + 2*time.Minute + 3*time.Second, "1h2m3s"},
		{time.Hour + 5*time.Second, "1h0m5s"},
		{26 * time.Hour, "26h"},
		{time.Minute + 500*time.Millisecond, "1m0.5s"},
		{-90 * time.Second, "-1m30s"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			require.Equal(t, tt.want, age(tt.d))
		})
	}
}

func TestCSVNumber(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0"},
		{120, "120"},
		{0.1, "0.1"},
		{1.0 / 3, "0.3333333333333333"},
		{1e21, "1e+21"},
		{-2.5, "-2.5"},
		{math.NaN(), ""},
		{math.Inf(1), "+Inf"},
		{math.Inf(-1), "-Inf"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			require.Equal(t, tt.want, csvNumber(tt.v))
		})
	}
}

func TestJSONNumber(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{120, "120"},
		{0.25, "0.25"},
		{math.NaN(), "null"},
		{math.Inf(1), "null"},
		{math.Inf(-1), "null"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			got, err := jsonNumber(tt.v).MarshalJSON()
			require.NoError(t, err)
			require.Equal(t, tt.want, string(got))
		})
	}
}

func TestTickLabel(t *testing.T) {
	tests := []struct {
		v, step float64
		want    string
	}{
		{1750, 250, "1750"},
		{0, 250, "0"},
		{0.75, 0.25, "0.75"},
		{0.5, 0.5, "0.5"},
		{1, 0.5, "1.0"},
		{0.3, 0.1, "0.3"},
		{0.05, 0.05, "0.05"},
		{-20, 10, "-20"},
		{25000, 5000, "25000"},
		{20000, 10000, "20k"},
		{125000, 25000, "125k"},
		{3e6, 1e6, "3M"},
		{1.5e21, 5e20, "1.5e+21"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			require.Equal(t, tt.want, tickLabel(tt.v, tt.step))
		})
	}
}

func TestNiceStep(t *testing.T) {
	tests := []struct{ raw, want float64 }{
		{0.7, 1}, {1, 1}, {1.2, 2}, {3, 5}, {7, 10}, {42, 50}, {0.033, 0.05}, {0, 1}, {math.NaN(), 1},
	}
	for _, tt := range tests {
		require.InDelta(t, tt.want, niceStep(tt.raw), 1e-12, "niceStep(%v)", tt.raw)
	}
}

func TestTimeScale(t *testing.T) {
	tests := []struct {
		span  time.Duration
		label string
		want  []string
	}{
		{time.Minute, "time (minutes)", []string{"0", "0.25", "0.5", "0.75", "1"}},
		{5 * time.Minute, "time (minutes)", []string{"0", "0.5", "1", "1.5", "2", "2.5", "3", "3.5", "4", "4.5", "5"}},
		{time.Hour, "time (minutes)", []string{"0", "5", "10", "15", "20", "25", "30", "35", "40", "45", "50", "55", "60"}},
		{3 * time.Hour, "time (minutes)", []string{"0", "15", "30", "45", "60", "75", "90", "105", "120", "135", "150", "165", "180"}},
		{24 * time.Hour, "time (hours)", []string{"0", "2", "4", "6", "8", "10", "12", "14", "16", "18", "20", "22", "24"}},
	}
	for _, tt := range tests {
		s, label := timeScale(tt.span)
		var got []string
		for _, tk := range s.ticks {
			got = append(got, tk.label)
		}
		require.Equal(t, tt.want, got, "span %v", tt.span)
		require.Equal(t, tt.label, label)
		require.InDelta(t, tt.span.Minutes(), s.hi, 1e-9, "the axis ends with the run, in minutes")
	}
}

// TestWrap: long names are wrapped at spaces, and inside a word only when
// it is wider than the line; never cut.
func TestWrap(t *testing.T) {
	fs := newFonts()
	for _, tt := range []struct {
		s     string
		width float64
	}{
		{"s0-prometheus", 200},
		{"external/keda_metric_with_a_very_long_name_indeed against its AverageValue target 40", 120},
		{"sum(rate(http_requests_total{namespace=\"shop\",service=\"orders\"}[5m]))*300", 90},
	} {
		lines := fs.wrap(tt.s, 9, false, tt.width)
		for _, l := range lines {
			require.LessOrEqual(t, fs.width(l, 9, false), tt.width, "%q", l)
		}
		require.Equal(t, strings.ReplaceAll(tt.s, " ", ""), strings.ReplaceAll(strings.Join(lines, ""), " ", ""), "no character is dropped")
	}
}
