package main

import (
	"fmt"

	"github.com/prometheus/common/config"

	"github.com/autoscale-sim/autoscale-sim/scenarios"
)

// withHTTPConfig reads an http_config file, as promtool's --http.config.file
// does (config.LoadHTTPConfigFile: relative file names are relative to the
// file), and sends live replay requests through a client made from it:
// bearer token or token file, basic auth, TLS with a CA, client
// certificates, extra headers.
func withHTTPConfig(opts *scenarios.Options, file string) error {
	if file == "" {
		return nil
	}
	cfg, _, err := config.LoadHTTPConfigFile(file)
	if err != nil {
		return fmt.Errorf("--http-config %s: %w", file, err)
	}
	client, err := config.NewClientFromConfig(*cfg, "autoscale-sim")
	if err != nil {
		return fmt.Errorf("--http-config %s: %w", file, err)
	}
	opts.HTTP = client
	return nil
}
