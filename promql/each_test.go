package promql

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestStoreEachSkipsStalenessMarkers(t *testing.T) {
	st := NewStore()
	t0 := time.Unix(100, 0)
	require.NoError(t, st.Append(Labels{"__name__": "b", "pod": "p"}, t0, 1))
	require.NoError(t, st.Append(Labels{"__name__": "a"}, t0, 2))
	require.NoError(t, st.Append(Labels{"__name__": "a"}, t0.Add(time.Second), 3))
	require.NoError(t, st.AppendStale(Labels{"__name__": "b", "pod": "p"}, t0.Add(time.Second)))
	var got []string
	require.NoError(t, st.Each(context.Background(), func(l Labels, ts []int64, vs []float64) error {
		got = append(got, fmt.Sprint(l, ts, vs))
		return nil
	}))
	require.Equal(t, []string{`{__name__="a"} [100000 101000] [2 3]`, `{__name__="b", pod="p"} [100000] [1]`}, got)
}
