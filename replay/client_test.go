package replay

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const matrixBody = `{"status":"success","data":{"resultType":"matrix","result":[
	{"metric":{"__name__":"websocket_connection_count","pod":"ws-1"},"values":[[1700000000,"3"],[1700000015,"5"]]},
	{"metric":{"__name__":"websocket_connection_count","pod":"ws-0"},"values":[[1700000000,"1"],[1700000015,"NaN"]]}]}}`

// fakeAPI is a stand-in for the Prometheus HTTP API. It records the last
// request's method, path and parameters.
type fakeAPI struct {
	status  int
	body    string
	delay   time.Duration
	noPost  bool
	methods []string
	path    string
	params  url.Values
	ctype   string
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.methods = append(f.methods, r.Method)
	if f.noPost && r.Method == http.MethodPost {
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	f.path = r.URL.Path
	f.ctype = r.Header.Get("Content-Type")
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.params = r.Form
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-r.Context().Done():
			return
		}
	}
	status := f.status
	if status == 0 {
		status = http.StatusOK
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, f.body)
}

func TestClientQueryRange(t *testing.T) {
	start := time.Unix(1700000000, 0)
	end := time.Unix(1700000015, 500_000_000)
	tests := []struct {
		name     string
		api      fakeAPI
		prefix   string
		want     string
		methods  []string
		wantPath string
	}{
		{
			name:     "POST form like promtool",
			api:      fakeAPI{body: matrixBody},
			want:     "websocket_connection_count{pod=\"ws-0\"}: 1700000000=1 1700000015=NaN\nwebsocket_connection_count{pod=\"ws-1\"}: 1700000000=3 1700000015=5\n",
			methods:  []string{"POST"},
			wantPath: "/api/v1/query_range",
		},
		{
			name:     "GET when POST is not allowed",
			api:      fakeAPI{body: matrixBody, noPost: true},
			want:     "websocket_connection_count{pod=\"ws-0\"}: 1700000000=1 1700000015=NaN\nwebsocket_connection_count{pod=\"ws-1\"}: 1700000000=3 1700000015=5\n",
			methods:  []string{"POST", "GET"},
			wantPath: "/api/v1/query_range",
		},
		{
			name:     "base URL with a path prefix",
			api:      fakeAPI{body: `{"status":"success","data":{"resultType":"matrix","result":[]}}`},
			prefix:   "/prometheus/",
			want:     "",
			methods:  []string{"POST"},
			wantPath: "/prometheus/api/v1/query_range",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := tt.api
			srv := httptest.NewServer(&api)
			defer srv.Close()
			c := &Client{BaseURL: srv.URL + tt.prefix, HTTP: srv.Client()}
			got, err := c.QueryRange(context.Background(), `websocket_connection_count{pod=~"ws-.*"}`, start, end, 15*time.Second)
			require.NoError(t, err)
			require.Equal(t, tt.want, dump(got))
			require.Equal(t, tt.methods, api.methods)
			require.Equal(t, tt.wantPath, api.path)
			require.Equal(t, url.Values{
				"query": {`websocket_connection_count{pod=~"ws-.*"}`},
				"start": {"1700000000"},
				"end":   {"1700000015.5"},
				"step":  {"15"},
			}, api.params)
			if api.methods[len(api.methods)-1] == "POST" {
				require.Equal(t, "application/x-www-form-urlencoded", api.ctype)
			}
		})
	}
}

func TestClientQueryRangeErrors(t *testing.T) {
	start := time.Unix(1700000000, 0)
	tests := []struct {
		name      string
		api       fakeAPI
		ctx       func() (context.Context, context.CancelFunc)
		want      string
		wantAPI   *APIError
		wantErrIs error
	}{
		{
			name:    "API error with its HTTP status",
			api:     fakeAPI{status: 400, body: `{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:5: parse error: unexpected end of input"}`},
			want:    `prometheus: HTTP 400: bad_data: invalid parameter "query": 1:5: parse error: unexpected end of input`,
			wantAPI: &APIError{StatusCode: 400, Type: "bad_data", Message: `invalid parameter "query": 1:5: parse error: unexpected end of input`},
		},
		{
			name:    "API error in a 200 answer",
			api:     fakeAPI{body: `{"status":"error","errorType":"execution","error":"many-to-many matching not allowed"}`},
			want:    `prometheus: HTTP 200: execution: many-to-many matching not allowed`,
			wantAPI: &APIError{StatusCode: 200, Type: "execution", Message: "many-to-many matching not allowed"},
		},
		{
			name:    "HTTP 500 with a plain body",
			api:     fakeAPI{status: 500, body: "upstream exploded\n"},
			want:    "prometheus: HTTP 500: upstream exploded",
			wantAPI: &APIError{StatusCode: 500, Message: "upstream exploded"},
		},
		{
			name:    "HTTP 503 without a body",
			api:     fakeAPI{status: 503},
			want:    "prometheus: HTTP 503: Service Unavailable",
			wantAPI: &APIError{StatusCode: 503, Message: "Service Unavailable"},
		},
		{
			name: "malformed success body",
			api:  fakeAPI{body: `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"x"]]}]}}`},
			want: `prometheus query_range: response: data.result[0].values[0]: value: "x" is not a number`,
		},
		{
			name: "timeout via context",
			api:  fakeAPI{body: matrixBody, delay: 5 * time.Second},
			ctx: func() (context.Context, context.CancelFunc) {
				return context.WithTimeout(context.Background(), 50*time.Millisecond)
			},
			wantErrIs: context.DeadlineExceeded,
		},
		{
			name: "cancelled context",
			api:  fakeAPI{body: matrixBody},
			ctx: func() (context.Context, context.CancelFunc) {
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				return ctx, cancel
			},
			wantErrIs: context.Canceled,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := tt.api
			srv := httptest.NewServer(&api)
			defer srv.Close()
			ctx, cancel := context.Background(), context.CancelFunc(func() {})
			if tt.ctx != nil {
				ctx, cancel = tt.ctx()
			}
			defer cancel()
			c := &Client{BaseURL: srv.URL, HTTP: srv.Client()}
			began := time.Now()
			got, err := c.QueryRange(ctx, "up", start, start.Add(time.Minute), 15*time.Second)
			require.Error(t, err)
			require.Nil(t, got)
			if tt.want != "" {
				require.EqualError(t, err, tt.want)
			}
			if tt.wantAPI != nil {
				var apiErr *APIError
				require.True(t, errors.As(err, &apiErr))
				require.Equal(t, tt.wantAPI, apiErr)
			}
			if tt.wantErrIs != nil {
				require.ErrorIs(t, err, tt.wantErrIs)
				require.Less(t, time.Since(began), 3*time.Second)
			}
		})
	}
}

func TestClientQueryRangeArguments(t *testing.T) {
	start := time.Unix(1700000000, 0)
	tests := []struct {
		name    string
		base    string
		query   string
		end     time.Time
		step    time.Duration
		wantErr string
	}{
		{"empty base URL", "", "up", start, time.Second, "prometheus: Client.BaseURL is empty"},
		{"base URL without scheme", "127.0.0.1:9090", "up", start, time.Second, `prometheus: Client.BaseURL "127.0.0.1:9090" is not an http:// or https:// address`},
		{"unparsable base URL", "http://[::1", "up", start, time.Second, `prometheus: Client.BaseURL: parse "http://[::1": missing ']' in host`},
		{"empty query", "http://127.0.0.1:1", " ", start, time.Second, "prometheus query_range: empty query"},
		{"end before start", "http://127.0.0.1:1", "up", start.Add(-time.Second), time.Second, "prometheus query_range: end 2023-11-14T22:13:19Z is before start 2023-11-14T22:13:20Z"},
		{"zero step", "http://127.0.0.1:1", "up", start, 0, "prometheus query_range: step 0s is not positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Client{BaseURL: tt.base}
			got, err := c.QueryRange(context.Background(), tt.query, start, tt.end, tt.step)
			require.EqualError(t, err, tt.wantErr)
			require.Nil(t, got)
		})
	}
}

func TestClientConnectionRefused(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close()
	c := &Client{BaseURL: addr}
	_, err := c.QueryRange(context.Background(), "up", time.Unix(0, 0), time.Unix(60, 0), time.Second)
	require.Error(t, err)
	require.True(t, strings.HasPrefix(err.Error(), "prometheus query_range: "), err.Error())
}
