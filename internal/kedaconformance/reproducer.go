package kedaconformance

import (
	"encoding/json"
	"fmt"
	"os"
)

// Reproducer is a minimized case with the upstream result, kept under
// keda/testdata/conformance and replayed by the keda tests.
type Reproducer struct {
	Kind     string `json:"kind"`
	Note     string `json:"note,omitempty"`
	Upstream string `json:"upstream"`
	Case     Case   `json:"case"`
	Result   Result `json:"result"`
}

// ReadReproducer loads a reproducer file.
func ReadReproducer(path string) (Reproducer, error) {
	var r Reproducer
	b, err := os.ReadFile(path)
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return r, fmt.Errorf("%s: %v", path, err)
	}
	return r, nil
}

// Write stores the reproducer as indented JSON.
func (r Reproducer) Write(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// Minimize drops answers and metadata keys while keep holds.
func Minimize(c Case, keep func(Case) bool) Case {
	for changed := true; changed; {
		changed = false
		var cands []Case
		for i := range c.Answers {
			if len(c.Answers) > 1 {
				n := clone(c)
				n.Answers = append(n.Answers[:i], n.Answers[i+1:]...)
				cands = append(cands, n)
			}
		}
		for k := range c.Metadata {
			if k == "query" || k == "threshold" {
				continue
			}
			n := clone(c)
			delete(n.Metadata, k)
			cands = append(cands, n)
		}
		if c.MetricType != "" {
			n := clone(c)
			n.MetricType = ""
			cands = append(cands, n)
		}
		for _, n := range cands {
			if keep(n) {
				c, changed = n, true
				break
			}
		}
	}
	return c
}

func clone(c Case) Case {
	b, _ := json.Marshal(c)
	var out Case
	_ = json.Unmarshal(b, &out)
	return out
}
