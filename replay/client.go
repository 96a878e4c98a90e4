package replay

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultTimeout bounds a Client request whose context has no deadline.
const DefaultTimeout = time.Minute

// DefaultMaxBytes bounds the body a Client reads when Client.MaxBytes is
// 0: a day of 15 s points of a hundred series is about 25 MB of JSON.
const DefaultMaxBytes = 64 << 20

// maxExpansion bounds how much a compressed answer may expand: gzip of
// JSON reaches about 20:1; a gzip bomb reaches 1000:1.
const maxExpansion = 100

// Client fetches recorded series from a live Prometheus HTTP API.
type Client struct {
	// BaseURL is the server's address, such as "http://127.0.0.1:9090"; a
	// path prefix ("https://host/prometheus") is kept.
	BaseURL string
	// HTTP sends the requests; nil means a client without a timeout of its
	// own (the context bounds every request). Its redirects are followed
	// only to the same origin and with the same method.
	HTTP *http.Client
	// MaxBytes bounds the answer, decompressed (default DefaultMaxBytes).
	MaxBytes int64
}

// QueryRange evaluates a PromQL query over [start, end] at the given step
// through /api/v1/query_range and returns the resulting series, sorted
// as by [ReadQueryRange].
//
// The parameters are sent as a form-encoded POST, as promtool does; a
// server that answers 405 Method Not Allowed is asked again with GET.
// The request is bounded by ctx, or by [DefaultTimeout] when ctx has no
// deadline. An answer other than 2xx, or an API error answer, returns an
// *[APIError] with the HTTP status code and the API's message (for a body
// that is not an API answer, such as a proxy's error page, the start of
// the body). Context
// cancellation and deadline errors are wrapped, so errors.Is works.
func (c *Client) QueryRange(ctx context.Context, query string, start, end time.Time, step time.Duration) ([]Series, error) {
	if strings.TrimSpace(query) == "" {
		return nil, errors.New("prometheus query_range: empty query")
	}
	if end.Before(start) {
		return nil, fmt.Errorf("prometheus query_range: end %s is before start %s", formatTime(end), formatTime(start))
	}
	if step <= 0 {
		return nil, fmt.Errorf("prometheus query_range: step %s is not positive", step)
	}
	form := url.Values{}
	form.Set("query", query)
	form.Set("start", formatUnixSeconds(start))
	form.Set("end", formatUnixSeconds(end))
	form.Set("step", formatSeconds(step))
	return c.api(ctx, "/api/v1/query_range", "query_range", form)
}

// Query evaluates a PromQL query at one instant through /api/v1/query,
// as QueryRange does over a range (same method, bounds and errors). A
// range selector such as kube_deployment_spec_replicas{deployment="web"}[2h]
// returns the raw samples of the range, each at its scrape time: what a
// backtest compares with, missing scrapes included.
func (c *Client) Query(ctx context.Context, query string, at time.Time) ([]Series, error) {
	if strings.TrimSpace(query) == "" {
		return nil, errors.New("prometheus query: empty query")
	}
	form := url.Values{}
	form.Set("query", query)
	form.Set("time", formatUnixSeconds(at))
	return c.api(ctx, "/api/v1/query", "query", form)
}

// api sends form to path and decodes the answer; what names the endpoint
// in errors.
func (c *Client) api(ctx context.Context, path, what string, form url.Values) ([]Series, error) {
	endpoint, err := c.endpoint(path)
	if err != nil {
		return nil, err
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultTimeout)
		defer cancel()
	}
	status, body, err := c.do(ctx, http.MethodPost, endpoint, form)
	if err == nil && status == http.StatusMethodNotAllowed {
		status, body, err = c.do(ctx, http.MethodGet, endpoint, form)
	}
	if err != nil {
		return nil, fmt.Errorf("prometheus %s: %w", what, err)
	}
	if status/100 != 2 {
		return nil, httpError(status, body)
	}
	series, err := decodeQueryResponse(body, status)
	if err != nil {
		var apiErr *APIError
		if errors.As(err, &apiErr) {
			return nil, err
		}
		return nil, fmt.Errorf("prometheus %s: response: %w", what, err)
	}
	return series, nil
}

// endpoint joins BaseURL and an API path.
func (c *Client) endpoint(path string) (string, error) {
	if c == nil || strings.TrimSpace(c.BaseURL) == "" {
		return "", errors.New("prometheus: Client.BaseURL is empty")
	}
	notHTTP := fmt.Errorf("prometheus: Client.BaseURL %q is not an http:// or https:// address", c.BaseURL)
	if !strings.Contains(c.BaseURL, "://") {
		return "", notHTTP
	}
	u, err := url.Parse(strings.TrimSpace(c.BaseURL))
	if err != nil {
		return "", fmt.Errorf("prometheus: Client.BaseURL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return "", notHTTP
	}
	u.Path = strings.TrimRight(u.Path, "/") + path
	u.RawPath = ""
	u.RawQuery = ""
	u.Fragment = ""
	return u.String(), nil
}

func (c *Client) do(ctx context.Context, method, endpoint string, form url.Values) (int, []byte, error) {
	var req *http.Request
	var err error
	if method == http.MethodPost {
		req, err = http.NewRequestWithContext(ctx, method, endpoint, strings.NewReader(form.Encode()))
		if err == nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	} else {
		req, err = http.NewRequestWithContext(ctx, method, endpoint+"?"+form.Encode(), nil)
	}
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Accept", "application/json")
	// Asking for gzip ourselves keeps Go from decompressing unseen, so
	// that both the compressed and the expanded size are bounded.
	req.Header.Set("Accept-Encoding", "gzip")
	hc := c.client()
	resp, err := hc.Do(req)
	if err != nil {
		// Report the context's own error when it ended the request.
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			return 0, nil, fmt.Errorf("%w (%v)", ctxErr, err)
		}
		return 0, nil, err
	}
	defer resp.Body.Close()
	limit := c.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	var r io.Reader = io.LimitReader(resp.Body, limit+1)
	if strings.EqualFold(resp.Header.Get("Content-Encoding"), "gzip") {
		compressed := &countingReader{r: io.LimitReader(resp.Body, limit+1)}
		zr, err := gzip.NewReader(compressed)
		if err != nil {
			return 0, nil, fmt.Errorf("reading response: gzip: %w", err)
		}
		defer zr.Close()
		r = &expansionLimit{r: io.LimitReader(zr, limit+1), compressed: compressed}
	}
	body, err := io.ReadAll(r)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			return 0, nil, fmt.Errorf("reading response: %w (%v)", ctxErr, err)
		}
		return 0, nil, fmt.Errorf("reading response: %w", err)
	}
	if int64(len(body)) > limit {
		return 0, nil, fmt.Errorf("response larger than %d bytes; ask for a shorter window or a coarser step", limit)
	}
	return resp.StatusCode, body, nil
}

// client is c.HTTP (or a default client) with a redirect policy that
// never leaves the origin of the request nor changes its method: a
// recorded answer must come from the server the user named, and a POST
// turned into a GET would drop the query.
func (c *Client) client() *http.Client {
	base := c.HTTP
	if base == nil {
		base = http.DefaultClient
	}
	hc := *base
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		first := via[0]
		if req.URL.Scheme != first.URL.Scheme || req.URL.Host != first.URL.Host {
			return fmt.Errorf("refusing a redirect from %s to another origin, %s://%s", first.URL.Host, req.URL.Scheme, req.URL.Host)
		}
		if req.Method != first.Method {
			return fmt.Errorf("refusing a redirect that turns %s into %s", first.Method, req.Method)
		}
		if len(via) >= 5 {
			return errors.New("stopped after 5 redirects")
		}
		return nil
	}
	return &hc
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// expansionLimit fails once the decompressed bytes exceed maxExpansion
// times the compressed ones (plus a small allowance for tiny answers).
type expansionLimit struct {
	r          io.Reader
	compressed *countingReader
	n          int64
}

func (e *expansionLimit) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	e.n += int64(n)
	if e.n > 1<<16 && e.n > maxExpansion*e.compressed.n {
		return n, fmt.Errorf("the compressed answer expands more than %d times (%d bytes from %d): refusing it", maxExpansion, e.n, e.compressed.n)
	}
	return n, err
}

// httpError describes a non-2xx answer: the API's own error when the body
// is one, else the status with the start of the body as the message.
func httpError(status int, body []byte) error {
	if _, err := decodeQueryResponse(body, status); err != nil {
		var apiErr *APIError
		if errors.As(err, &apiErr) {
			return apiErr
		}
	}
	text := strings.TrimSpace(string(bytes.ToValidUTF8(body, []byte("?"))))
	if len(text) > 200 {
		text = strings.ToValidUTF8(text[:200], "") + "..."
	}
	if text == "" {
		text = http.StatusText(status)
	}
	return &APIError{StatusCode: status, Message: text}
}
