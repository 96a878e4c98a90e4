package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/csv"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// liveStart is the start of the data .ci/prometheus.sh loaded, or a skip.
func liveStart(t *testing.T) (string, time.Time) {
	t.Helper()
	url := os.Getenv("AUTOSCALE_SIM_PROMETHEUS_URL")
	startEnv := os.Getenv("AUTOSCALE_SIM_PROMETHEUS_DATA_START")
	if url == "" || startEnv == "" {
		t.Skip("no live Prometheus: run `eval \"$(bash .ci/prometheus.sh | tail -1)\"` first (CI does)")
	}
	startUnix, err := strconv.ParseInt(startEnv, 10, 64)
	require.NoError(t, err)
	return url, time.Unix(startUnix, 0).UTC()
}

// liveScenario writes a scenario that replays the recorded total into dir.
func liveScenario(t *testing.T, dir string, start time.Time) string {
	t.Helper()
	so, err := os.ReadFile("../../examples/websocket/scaledobject.yaml")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "scaledobject.yaml"), so, 0o644))
	end := start.Add(30 * time.Minute)
	scenario := `apiVersion: autoscale-sim.dev/v1alpha1
kind: Scenario
metadata:
  name: live-replay
spec:
  duration: 30m
  autoscaler:
    manifests: scaledobject.yaml
  load:
  - metric: websocket_connection_count
    model: connections
    replay:
      query: sum(websocket_connection_count)
      start: "` + start.Format(time.RFC3339) + `"
      end: "` + end.Format(time.RFC3339) + `"
      step: 15s
`
	file := filepath.Join(dir, "scenario.yaml")
	require.NoError(t, os.WriteFile(file, []byte(scenario), 0o644))
	return file
}

// requireRecordedLoad checks that the run's trace holds the recorded
// load exactly: the server holds ws-0 = i and ws-1 = 1000 - 2i at
// START + 15s*i, so the total is 1000 - i.
func requireRecordedLoad(t *testing.T, out string) {
	t.Helper()
	f, err := os.Open(filepath.Join(out, "trace.csv"))
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.Equal(t, "load", rows[0][4])
	require.Len(t, rows, 1+30*4+1)
	for i, row := range rows[1:] {
		require.Equal(t, strconv.Itoa(15*i), row[0])
		require.Equal(t, strconv.Itoa(1000-i), row[4], "load at %ss", row[0])
	}
	// 1000 connections or so against a threshold of 40 hold the maximum.
	require.Equal(t, "5", rows[len(rows)-1][1])
}

// TestRunLivePrometheusReplay replays a load recorded in a real Prometheus
// server (started by .ci/prometheus.sh with known data) through
// `autoscale-sim run --prometheus-url`, and checks that the simulated load
// is exactly the recorded one.
func TestRunLivePrometheusReplay(t *testing.T) {
	url, start := liveStart(t)
	dir := t.TempDir()
	file := liveScenario(t, dir, start)
	out := filepath.Join(dir, "out")
	code, _, stderr := runCLI(t, "run", file, "--prometheus-url", url, "--out", out, "--quiet")
	require.Equal(t, exitOK, code, stderr)
	requireRecordedLoad(t, out)

	code, _, stderr = runCLI(t, "run", file, "--quiet")
	require.Equal(t, exitInvalid, code)
	require.Contains(t, stderr, "prometheus")
}

// TestRunHTTPConfigBasicAuthTLS replays from the real Prometheus that
// .ci/prometheus.sh serves over TLS behind basic auth, with
// testdata/http-config/basic-auth-tls.yaml (Prometheus' http_config).
func TestRunHTTPConfigBasicAuthTLS(t *testing.T) {
	_, start := liveStart(t)
	url, tlsDir := os.Getenv("AUTOSCALE_SIM_PROMETHEUS_TLS_URL"), os.Getenv("AUTOSCALE_SIM_PROMETHEUS_TLS_DIR")
	if url == "" || tlsDir == "" {
		t.Skip("no TLS Prometheus: .ci/prometheus.sh starts one")
	}
	dir := t.TempDir()
	file := liveScenario(t, dir, start)
	cfg := filepath.Join(dir, "http.yaml")
	copyFile(t, "../../testdata/http-config/basic-auth-tls.yaml", cfg)
	for _, f := range []string{"ca.crt", "username", "password"} {
		copyFile(t, filepath.Join(tlsDir, f), filepath.Join(dir, f))
	}
	out := filepath.Join(dir, "out")
	code, _, stderr := runCLI(t, "run", file, "--prometheus-url", url, "--http-config", cfg, "--out", out, "--quiet")
	require.Equal(t, exitOK, code, stderr)
	requireRecordedLoad(t, out)

	code, _, stderr = runCLI(t, "run", file, "--prometheus-url", url, "--quiet")
	require.Equal(t, exitInvalid, code)
	require.Contains(t, stderr, "certificate", "without the CA the server is not trusted")

	require.NoError(t, os.WriteFile(filepath.Join(dir, "password"), []byte("wrong"), 0o600))
	code, _, stderr = runCLI(t, "run", file, "--prometheus-url", url, "--http-config", cfg, "--quiet")
	require.Equal(t, exitInvalid, code)
	require.Contains(t, stderr, "401")
}

// TestRunHTTPConfigOpenShiftThanos replays through the configuration of
// the OpenShift Thanos querier (testdata/http-config/openshift-thanos-querier.yaml:
// a bearer token file and the service CA, the querier's service name as
// server name): a loopback TLS proxy with a certificate for that name,
// signed by a CA of the test, checks the bearer token and forwards to the
// real Prometheus.
func TestRunHTTPConfigOpenShiftThanos(t *testing.T) {
	promURL, start := liveStart(t)
	dir := t.TempDir()
	const token = "sha256~thanos-reader-token"
	caPEM, serverCert := testCA(t, "thanos-querier.openshift-monitoring.svc")
	target, err := url.Parse(promURL)
	require.NoError(t, err)
	proxy := httputil.NewSingleHostReverseProxy(target)
	var refused atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+token {
			refused.Add(1)
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{serverCert}}
	srv.StartTLS()
	defer srv.Close()

	file := liveScenario(t, dir, start)
	cfg := filepath.Join(dir, "openshift-thanos-querier.yaml")
	copyFile(t, "../../testdata/http-config/openshift-thanos-querier.yaml", cfg)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "token"), []byte(token+"\n"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "service-ca.crt"), caPEM, 0o644))
	out := filepath.Join(dir, "out")
	code, _, stderr := runCLI(t, "run", file, "--prometheus-url", srv.URL, "--http-config", cfg, "--out", out, "--quiet")
	require.Equal(t, exitOK, code, stderr)
	requireRecordedLoad(t, out)
	require.Zero(t, refused.Load())

	// promtool's older spelling, bearer_token_file, works the same.
	legacy := filepath.Join(dir, "legacy.yaml")
	require.NoError(t, os.WriteFile(legacy, []byte("bearer_token_file: token\ntls_config: {ca_file: service-ca.crt, server_name: thanos-querier.openshift-monitoring.svc}\n"), 0o644))
	code, _, stderr = runCLI(t, "run", file, "--prometheus-url", srv.URL, "--http-config", legacy, "--quiet")
	require.Equal(t, exitOK, code, stderr)

	require.NoError(t, os.WriteFile(filepath.Join(dir, "token"), []byte("expired"), 0o600))
	code, _, stderr = runCLI(t, "run", file, "--prometheus-url", srv.URL, "--http-config", cfg, "--quiet")
	require.Equal(t, exitInvalid, code)
	require.Contains(t, stderr, "401")
	require.Positive(t, refused.Load())

	code, _, stderr = runCLI(t, "run", file, "--prometheus-url", srv.URL, "--http-config", filepath.Join(dir, "missing.yaml"), "--quiet")
	require.Equal(t, exitInvalid, code)
	require.Contains(t, stderr, "--http-config")
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(to, data, 0o600))
}

// testCA makes a CA and a server certificate for name signed by it.
func testCA(t *testing.T, name string) ([]byte, tls.Certificate) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	now := time.Now()
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "openshift-service-serving-signer (test)"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	require.NoError(t, err)
	caCert, err := x509.ParseCertificate(caDER)
	require.NoError(t, err)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: name}, DNSNames: []string{name},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &key.PublicKey, caKey)
	require.NoError(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// TestRunHTTPConfigClientCertificate: a Prometheus behind mutual TLS (a
// proxy that requires a client certificate signed by its CA, forwarding
// to the real Prometheus) is read with cert_file and key_file of the
// http_config; without them the handshake fails and the run says so.
func TestRunHTTPConfigClientCertificate(t *testing.T) {
	promURL, start := liveStart(t)
	dir := t.TempDir()
	caPEM, serverCert := testCA(t, "prometheus.monitoring.svc")
	clientCAPEM, clientCert := testCA(t, "autoscale-sim")
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(clientCAPEM))
	target, err := url.Parse(promURL)
	require.NoError(t, err)
	var seen atomic.Int32
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.Add(1)
		proxy.ServeHTTP(w, r)
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{serverCert}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool}
	srv.StartTLS()
	defer srv.Close()

	// The client's certificate and key as PEM files.
	key := clientCert.PrivateKey.(*ecdsa.PrivateKey)
	keyDER, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "client.key"), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "client.crt"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: clientCert.Certificate[0]}), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "ca.crt"), caPEM, 0o644))
	cfg := filepath.Join(dir, "mtls.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("tls_config:\n  ca_file: ca.crt\n  cert_file: client.crt\n  key_file: client.key\n  server_name: prometheus.monitoring.svc\n"), 0o644))
	file := liveScenario(t, dir, start)
	out := filepath.Join(dir, "out")
	code, _, stderr := runCLI(t, "run", file, "--prometheus-url", srv.URL, "--http-config", cfg, "--out", out, "--quiet")
	require.Equal(t, exitOK, code, stderr)
	requireRecordedLoad(t, out)
	require.Positive(t, seen.Load())

	noCert := filepath.Join(dir, "no-cert.yaml")
	require.NoError(t, os.WriteFile(noCert, []byte("tls_config: {ca_file: ca.crt, server_name: prometheus.monitoring.svc}\n"), 0o644))
	before := seen.Load()
	code, _, stderr = runCLI(t, "run", file, "--prometheus-url", srv.URL, "--http-config", noCert, "--quiet")
	require.Equal(t, exitInvalid, code)
	require.Contains(t, stderr, "certificate")
	require.Equal(t, before, seen.Load(), "no request gets through without the client certificate")
}
