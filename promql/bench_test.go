package promql

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// benchStore holds n pods with a gauge and a counter, scraped every 15s
// for two hours.
func benchStore(b *testing.B, n int) (*Store, int) {
	const scrapes = 2 * 60 * 4
	st := NewStore()
	for s := 0; s < scrapes; s++ {
		for p := 0; p < n; p++ {
			pod := fmt.Sprintf("app-%d", p)
			require.NoError(b, st.Append(Labels{"__name__": "websocket_connection_count", "namespace": "demo", "job": "app", "pod": pod}, at(15*s), float64(p%7+s%11)))
			require.NoError(b, st.Append(Labels{"__name__": "http_requests_total", "namespace": "demo", "job": "app", "pod": pod}, at(15*s), float64(s*(p%5+1))))
		}
	}
	return st, scrapes
}

// BenchmarkInstant measures one KEDA-style poll: an instant query whose
// evaluation time cycles over the stored window, as a simulation does.
func BenchmarkInstant(b *testing.B) {
	queries := []struct{ name, q string }{
		{"gauge", `sum(websocket_connection_count{namespace="demo"})`},
		{"rate", `sum(rate(http_requests_total{job="app"}[2m]))`},
	}
	for _, n := range []int{1, 10, 100, 1000} {
		st, scrapes := benchStore(b, n)
		e := NewEngine(EngineOptions{})
		ctx := context.Background()
		for _, q := range queries {
			b.Run(fmt.Sprintf("%s/series=%d", q.name, n), func(b *testing.B) {
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					// Skip the first 10 minutes so rate always has a full window.
					sec := 600 + 15*(i%(scrapes-40))
					i++
					if _, err := e.Instant(ctx, st, q.q, at(sec)); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkRange evaluates the gauge sum over the whole two hours at the
// scrape interval in one query.
func BenchmarkRange(b *testing.B) {
	for _, n := range []int{1, 100} {
		st, scrapes := benchStore(b, n)
		e := NewEngine(EngineOptions{})
		b.Run(fmt.Sprintf("series=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.Range(context.Background(), st, `sum(websocket_connection_count{namespace="demo"})`, at(0), at(15*(scrapes-1)), 15*time.Second); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAppend measures one sample appended to an existing series of
// 100 pods, round robin, as a scrape does.
func BenchmarkAppend(b *testing.B) {
	const pods = 100
	lbls := make([]Labels, pods)
	for p := range lbls {
		lbls[p] = Labels{"__name__": "websocket_connection_count", "namespace": "demo", "job": "app", "pod": fmt.Sprintf("app-%d", p)}
	}
	st := NewStore()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		t := epoch.Add(time.Duration(i/pods) * 15 * time.Second)
		if err := st.Append(lbls[i%pods], t, float64(i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
