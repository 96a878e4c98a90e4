package sim_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/scenarios"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// deadlineCtx is a context whose deadline passes when expire is called,
// so that a test can make it pass between two steps of a tick.
type deadlineCtx struct {
	context.Context
	once sync.Once
	done chan struct{}
}

func (c *deadlineCtx) expire()               { c.once.Do(func() { close(c.done) }) }
func (c *deadlineCtx) Done() <-chan struct{} { return c.done }
func (c *deadlineCtx) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

// expiringShape passes the deadline when the load is read at or after t.
type expiringShape struct {
	sim.Shape
	t   time.Duration
	ctx *deadlineCtx
}

func (s expiringShape) At(t time.Duration) float64 {
	if t >= s.t {
		s.ctx.expire()
	}
	return s.Shape.At(t)
}

// A deadline that passes while the tick runs its queries stops the run
// with an InterruptedError: the engine's "query timed out" is the deadline
// speaking, not a query too big to answer (which QueryLimitError reports).
func TestDeadlineDuringAQueryIsAnInterruption(t *testing.T) {
	sc, err := scenarios.Load("../examples/websocket/scenario.yaml")
	require.NoError(t, err)
	ctx := &deadlineCtx{Context: context.Background(), done: make(chan struct{})}
	// 2m is a KEDA poll and an HPA sync: the load is read before both.
	sc.Spec.Loads[0].Shape = expiringShape{Shape: sc.Spec.Loads[0].Shape, t: 2 * time.Minute, ctx: ctx}
	_, err = sim.Run(ctx, sc.Spec)
	var ie *sim.InterruptedError
	require.True(t, errors.As(err, &ie), "got %v", err)
	require.Equal(t, 2*time.Minute, ie.At)
	var qe *sim.QueryLimitError
	require.False(t, errors.As(err, &qe))
}
