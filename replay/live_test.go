package replay

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestLivePrometheus queries a real Prometheus loaded with the known data
// that .ci/prometheus.sh writes (see the comment at its top):
//
//	websocket_connection_count{pod="ws-0"}  at START+15*i = i         (i = 0..480)
//	websocket_connection_count{pod="ws-1"}  at START+15*i = 1000-2*i
//	autoscale_sim_special_value{case="nan"|"pos_inf"|"neg_inf"} at START = NaN, +Inf, -Inf
//
// It runs only when AUTOSCALE_SIM_PROMETHEUS_URL is set:
//
//	eval "$(bash .ci/prometheus.sh | tail -1)"
//	go test ./replay/ -run TestLivePrometheus -v
func TestLivePrometheus(t *testing.T) {
	base := os.Getenv("AUTOSCALE_SIM_PROMETHEUS_URL")
	if base == "" {
		t.Skip("AUTOSCALE_SIM_PROMETHEUS_URL is not set; start a server with: eval \"$(bash .ci/prometheus.sh | tail -1)\"")
	}
	startText := os.Getenv("AUTOSCALE_SIM_PROMETHEUS_DATA_START")
	startUnix, err := strconv.ParseInt(startText, 10, 64)
	require.NoError(t, err, "AUTOSCALE_SIM_PROMETHEUS_DATA_START must hold the data's start in Unix seconds, as .ci/prometheus.sh prints it")
	start := time.Unix(startUnix, 0).UTC()
	at := func(i int) time.Time { return start.Add(time.Duration(i) * 15 * time.Second) }

	c := &Client{BaseURL: base}
	query := func(t *testing.T, q string, from, to time.Time, step time.Duration) []Series {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		series, err := c.QueryRange(ctx, q, from, to, step)
		require.NoError(t, err)
		return series
	}
	// expect builds the dump of series whose i-th point is at
	// START+15*(first+k*stride) with value f(first+k*stride).
	expect := func(name string, first, n, stride int, f func(i int) float64) string {
		s := Series{Labels: map[string]string{}}
		if name != "" {
			var err error
			s.Labels, err = parseSelector(name)
			require.NoError(t, err)
		}
		for k := 0; k < n; k++ {
			i := first + k*stride
			s.Points = append(s.Points, Point{T: at(i), V: f(i)})
		}
		return dump([]Series{s})
	}
	ws0 := func(i int) float64 { return float64(i) }
	ws1 := func(i int) float64 { return float64(1000 - 2*i) }

	t.Run("first ten minutes of both series", func(t *testing.T) {
		got := query(t, "websocket_connection_count", at(0), at(40), 15*time.Second)
		require.Len(t, got, 2)
		require.Equal(t,
			expect(`websocket_connection_count{pod="ws-0"}`, 0, 41, 1, ws0)+
				expect(`websocket_connection_count{pod="ws-1"}`, 0, 41, 1, ws1),
			dump(got))
		require.Equal(t, map[string]string{"__name__": "websocket_connection_count", "pod": "ws-0"}, got[0].Labels)
		require.Equal(t, Point{T: at(17), V: 17}, got[0].Points[17])
		require.Equal(t, Point{T: at(40), V: 920}, got[1].Points[40])
	})
	t.Run("aggregation at a coarser step", func(t *testing.T) {
		got := query(t, "sum(websocket_connection_count)", at(240), at(248), 30*time.Second)
		require.Equal(t, expect("", 240, 5, 2, func(i int) float64 { return float64(1000 - i) }), dump(got))
		require.Equal(t, "{}: "+fmt.Sprint(startUnix+3600)+"=760 "+fmt.Sprint(startUnix+3630)+"=758 "+
			fmt.Sprint(startUnix+3660)+"=756 "+fmt.Sprint(startUnix+3690)+"=754 "+fmt.Sprint(startUnix+3720)+"=752\n", dump(got))
	})
	t.Run("end of the data", func(t *testing.T) {
		got := query(t, `websocket_connection_count{pod="ws-1"}`, at(478), at(480), 15*time.Second)
		require.Equal(t, expect(`websocket_connection_count{pod="ws-1"}`, 478, 3, 1, ws1), dump(got))
		require.Equal(t, 40.0, got[0].Points[2].V)
	})
	t.Run("NaN and infinities", func(t *testing.T) {
		got := query(t, "autoscale_sim_special_value", at(0), at(0), 15*time.Second)
		require.Len(t, got, 3)
		require.Equal(t, `autoscale_sim_special_value{case="nan"}`, got[0].String())
		require.True(t, math.IsNaN(got[0].Points[0].V))
		require.Equal(t, `autoscale_sim_special_value{case="neg_inf"}`, got[1].String())
		require.Equal(t, []Point{{T: at(0), V: math.Inf(-1)}}, got[1].Points)
		require.Equal(t, `autoscale_sim_special_value{case="pos_inf"}`, got[2].String())
		require.Equal(t, []Point{{T: at(0), V: math.Inf(1)}}, got[2].Points)
	})
	t.Run("shift onto the simulator's clock", func(t *testing.T) {
		got := Shift(query(t, "websocket_connection_count", at(4), at(6), 15*time.Second), time.Unix(0, 0).UTC())
		require.Equal(t, "websocket_connection_count{pod=\"ws-0\"}: 0=4 15=5 30=6\n"+
			"websocket_connection_count{pod=\"ws-1\"}: 0=992 15=990 30=988\n", dump(got))
	})
	t.Run("API error", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		_, err := c.QueryRange(ctx, "sum(websocket_connection_count", at(0), at(4), 15*time.Second)
		var apiErr *APIError
		require.True(t, errors.As(err, &apiErr), "%v", err)
		require.Equal(t, 400, apiErr.StatusCode)
		require.Equal(t, "bad_data", apiErr.Type)
		require.Contains(t, apiErr.Message, "parse error")
	})
}
