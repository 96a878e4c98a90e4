package replay

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestClientQueryReadsRawSamples(t *testing.T) {
	var got http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		require.NoError(t, r.ParseForm())
		got = *r
		_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up"},"values":[[100,"1"],[115.5,"0"]]}]}}`))
	}))
	defer srv.Close()
	c := &Client{BaseURL: srv.URL}
	series, err := c.Query(context.Background(), "up[1m]", time.Unix(120, 0))
	require.NoError(t, err)
	require.Equal(t, http.MethodPost, got.Method)
	require.Equal(t, "/api/v1/query", got.URL.Path)
	require.Equal(t, "up[1m]", got.PostForm.Get("query"))
	require.Equal(t, "120", got.PostForm.Get("time"))
	require.Len(t, series, 1)
	require.Equal(t, []Point{{time.Unix(100, 0).UTC(), 1}, {time.Unix(115, 5e8).UTC(), 0}}, series[0].Points)

	_, err = c.Query(context.Background(), " ", time.Unix(120, 0))
	require.ErrorContains(t, err, "prometheus query: empty query")
}
