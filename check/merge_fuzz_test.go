package check_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/autoscale-sim/autoscale-sim/check"
)

// FuzzMerge reads shards as merge reads them from files (JSON, from
// anywhere): merging and writing them returns an error or an output,
// never a panic, and never allocates by the size a shard claims.
func FuzzMerge(f *testing.F) {
	good := check.Distribution{Name: "x", Runs: 2, Shard: check.Shard{N: 1}, Duration: time.Minute,
		Assertions: []check.AssertionInfo{{Name: "a", Quantile: 0.5}},
		Records: []check.Record{
			{Index: 0, Seed: 1, Steps: []check.Step{{0, 1}, {time.Second, 3}}, Failed: []string{""}},
			{Index: 1, Seed: 2, Steps: []check.Step{{0, 2}}, Failed: []string{"no"}},
		}}
	b, _ := json.Marshal(good)
	f.Add(b, b)
	f.Add([]byte(`{"runs":1099511627776,"records":[]}`), []byte(`{}`))
	f.Add([]byte(`{"runs":1,"duration":-1,"records":[{"index":0,"steps":[{"t":0,"replicas":1}],"failed":[]}]}`), []byte(`null`))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		var shards []*check.Distribution
		for _, raw := range [][]byte{a, b} {
			d := &check.Distribution{}
			if json.Unmarshal(raw, d) == nil {
				shards = append(shards, d)
			}
		}
		if len(shards) == 0 {
			return
		}
		d, err := check.Merge(shards...)
		if err != nil {
			return
		}
		var out bytes.Buffer
		_ = d.WriteText(&out)
		_ = d.Band(d.Duration / 50)
		_ = d.Band(0)
	})
}
