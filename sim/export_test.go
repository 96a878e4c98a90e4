package sim

import "context"

// RunEveryTick runs spec with a full tick at every tick, the engine
// without event-driven stepping, for tests that compare both.
func RunEveryTick(ctx context.Context, spec Spec) (*Result, error) {
	s, err := New(spec)
	if err != nil {
		return nil, err
	}
	s.everyTick = true
	return s.Run(ctx)
}

// RunNamespaceEveryTick runs spec with a full tick at every tick for
// every workload.
func RunNamespaceEveryTick(ctx context.Context, spec NamespaceSpec) (*NamespaceResult, error) {
	ns, err := NewNamespace(spec)
	if err != nil {
		return nil, err
	}
	for _, s := range ns.sims {
		s.everyTick = true
	}
	return ns.Run(ctx)
}
