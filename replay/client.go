package replay

import (
	"bytes"
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

// maxResponseBytes bounds the body a Client reads.
const maxResponseBytes = 1 << 30

// Client fetches recorded series from a live Prometheus HTTP API.
type Client struct {
	// BaseURL is the server's address, such as "http://127.0.0.1:9090"; a
	// path prefix ("https://host/prometheus") is kept.
	BaseURL string
	// HTTP sends the requests; nil means a client without a timeout of its
	// own (the context bounds every request).
	HTTP *http.Client
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
	endpoint, err := c.endpoint("/api/v1/query_range")
	if err != nil {
		return nil, err
	}
	form := url.Values{}
	form.Set("query", query)
	form.Set("start", formatUnixSeconds(start))
	form.Set("end", formatUnixSeconds(end))
	form.Set("step", formatSeconds(step))

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
		return nil, fmt.Errorf("prometheus query_range: %w", err)
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
		return nil, fmt.Errorf("prometheus query_range: response: %w", err)
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
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		// Report the context's own error when it ended the request.
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			return 0, nil, fmt.Errorf("%w (%v)", ctxErr, err)
		}
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			return 0, nil, fmt.Errorf("reading response: %w (%v)", ctxErr, err)
		}
		return 0, nil, fmt.Errorf("reading response: %w", err)
	}
	if len(body) > maxResponseBytes {
		return 0, nil, fmt.Errorf("response larger than %d bytes", maxResponseBytes)
	}
	return resp.StatusCode, body, nil
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
