package promql

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkInstant measures one trigger query against a day of 15s
// scrapes, at several pod counts.
func BenchmarkInstant(b *testing.B) {
	for _, pods := range []int{1, 10, 100, 1000} {
		b.Run(fmt.Sprintf("pods=%d", pods), func(b *testing.B) {
			st := podStore(b, pods, 5760, 10)
			e := NewEngine(EngineOptions{})
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t := at(15 * (20 + i%5700))
				if _, err := e.Instant(ctx, st, `sum(websocket_connection_count{namespace="demo"})`, t); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkAppend(b *testing.B) {
	st := NewStore()
	lbls := Labels{"__name__": "websocket_connection_count", "namespace": "demo", "pod": "ws-0"}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := st.Append(lbls, epochPlus(i), 1); err != nil {
			b.Fatal(err)
		}
	}
}

func epochPlus(i int) time.Time { return epoch.Add(time.Duration(i) * time.Millisecond) }
