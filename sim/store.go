package sim

import "github.com/autoscale-sim/autoscale-sim/promql"

// Store is the simulated Prometheus' series store as the run has filled it
// so far: every scrape and raw series, staleness markers included. Read it
// between calls of RunUntil, never while one runs; the simulator owns it.
func (s *Simulator) Store() *promql.Store { return s.store }
