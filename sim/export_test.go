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
