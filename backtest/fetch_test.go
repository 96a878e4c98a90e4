package backtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/replay"
)

// TestQueryRangeInPieces: a window longer than Prometheus' 11,000 points
// is asked for in pieces that neither overlap nor leave a gap, and the
// pieces are joined per series.
func TestQueryRangeInPieces(t *testing.T) {
	var calls [][2]float64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		require.NoError(t, r.ParseForm())
		start, _ := strconv.ParseFloat(r.Form.Get("start"), 64)
		end, _ := strconv.ParseFloat(r.Form.Get("end"), 64)
		step, _ := strconv.ParseFloat(r.Form.Get("step"), 64)
		calls = append(calls, [2]float64{start, end})
		if n := (end-start)/step + 1; n > 11000 {
			http.Error(w, `{"status":"error","errorType":"bad_data","error":"exceeded maximum resolution of 11,000 points per timeseries"}`, http.StatusBadRequest)
			return
		}
		var vals []string
		for ts := start; ts <= end; ts += step {
			vals = append(vals, fmt.Sprintf(`[%g,"%g"]`, ts, ts))
		}
		body := map[string]any{"status": "success", "data": map[string]any{"resultType": "matrix",
			"result": []any{map[string]any{"metric": map[string]string{"a": "b"}, "values": json.RawMessage("[" + strings.Join(vals, ",") + "]")}}}}
		require.NoError(t, json.NewEncoder(w).Encode(body))
	}))
	defer srv.Close()
	from := time.Unix(1_796_000_000, 0)
	to := from.Add(48 * time.Hour)
	series, err := queryRange(context.Background(), &replay.Client{BaseURL: srv.URL}, "x", from, to, 15*time.Second)
	require.NoError(t, err)
	require.Len(t, calls, 2)
	require.Len(t, series, 1)
	require.Len(t, series[0].Points, 48*240+1)
	for i, p := range series[0].Points {
		require.Equal(t, from.Add(time.Duration(i)*15*time.Second).Unix(), p.T.Unix())
	}
}
