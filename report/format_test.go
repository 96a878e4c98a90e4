package report

import (
	"math"
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

func TestMinuteTicks(t *testing.T) {
	tests := []struct {
		span float64
		want []string
	}{
		{1, []string{"0", "0.25", "0.5", "0.75", "1"}},
		{5, []string{"0", "0.5", "1", "1.5", "2", "2.5", "3", "3.5", "4", "4.5", "5"}},
		{60, []string{"0", "5", "10", "15", "20", "25", "30", "35", "40", "45", "50", "55", "60"}},
		{1440, []string{"0", "120", "240", "360", "480", "600", "720", "840", "960", "1080", "1200", "1320", "1440"}},
	}
	for _, tt := range tests {
		var got []string
		for _, tk := range minuteTicks(tt.span) {
			got = append(got, tk.Label)
		}
		require.Equal(t, tt.want, got, "span %v", tt.span)
	}
}

func TestLegendName(t *testing.T) {
	tests := []struct{ name, want string }{
		{"s0-prometheus", "s0-prometheus"},
		{"pods/myapp_websockets_connections_avg", "pods/myapp_…nections_avg"},
		{"external/keda_metric_with_a_very_long_name_indeed", "external/ke…_name_indeed"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, legendName(tt.name))
		require.LessOrEqual(t, len([]rune(legendName(tt.name))), 24)
	}
}
