package replay

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, err := zw.Write([]byte(s))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return b.Bytes()
}

func serve(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func query(c *Client) error {
	_, err := c.QueryRange(context.Background(), "x", time.Unix(0, 0), time.Unix(60, 0), 15*time.Second)
	return err
}

// TestClientBounds: a live replay reads a bounded answer, compressed or
// not, and follows redirects only to its own origin with its own method.
func TestClientBounds(t *testing.T) {
	t.Run("a gzip answer is read", func(t *testing.T) {
		url := serve(t, func(w http.ResponseWriter, r *http.Request) {
			require.Equal(t, "gzip", r.Header.Get("Accept-Encoding"))
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gzipped(t, matrixBody))
		})
		s, err := (&Client{BaseURL: url}).QueryRange(context.Background(), "x", time.Unix(0, 0), time.Unix(60, 0), 15*time.Second)
		require.NoError(t, err)
		require.Len(t, s, 2)
	})
	t.Run("a gzip bomb is refused", func(t *testing.T) {
		bomb := gzipped(t, `{"status":"success","data":{"resultType":"matrix","result":[`+strings.Repeat(" ", 8<<20)+`]}}`)
		url := serve(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb)
		})
		require.ErrorContains(t, query(&Client{BaseURL: url}), "expands more than 100 times")
	})
	t.Run("an answer over the limit is refused", func(t *testing.T) {
		url := serve(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(strings.Repeat(" ", 2000) + matrixBody)) })
		require.ErrorContains(t, query(&Client{BaseURL: url, MaxBytes: 1000}), "response larger than 1000 bytes")
	})
	t.Run("a redirect to another origin is refused", func(t *testing.T) {
		other := serve(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(matrixBody)) })
		url := serve(t, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other+r.URL.Path, http.StatusTemporaryRedirect)
		})
		require.ErrorContains(t, query(&Client{BaseURL: url}), "another origin")
	})
	t.Run("a redirect that turns POST into GET is refused", func(t *testing.T) {
		var url string
		url = serve(t, func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/moved/api/v1/query_range" {
				w.Write([]byte(matrixBody))
				return
			}
			http.Redirect(w, r, "/moved"+r.URL.Path, http.StatusFound)
		})
		require.ErrorContains(t, query(&Client{BaseURL: url}), "turns POST into GET")
	})
	t.Run("a same-origin 307 is followed", func(t *testing.T) {
		url := serve(t, func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/moved/api/v1/query_range" {
				w.Write([]byte(matrixBody))
				return
			}
			http.Redirect(w, r, "/moved"+r.URL.Path, http.StatusTemporaryRedirect)
		})
		require.NoError(t, query(&Client{BaseURL: url}))
	})
}

// TestAPIErrorTextCutAndEscaped: a server's error text reaches the
// terminal escaped and at most 300 characters long.
func TestAPIErrorTextCutAndEscaped(t *testing.T) {
	e := &APIError{StatusCode: 400, Type: "bad_data\x1b[31m", Message: strings.Repeat("x", 5000) + "\x1b]0;t\a"}
	msg := e.Error()
	require.Less(t, len(msg), 400)
	require.NotContains(t, msg, "\x1b")
	require.Contains(t, msg, `bad_data\x1b[31m`)
	require.True(t, strings.HasSuffix(msg, "..."))
}
