// Command keda-conformance runs random Prometheus trigger cases through
// KEDA's own scaler (the upstream program of conformance/keda, started as
// a co-process, normally under unshare -rn) and through the keda package,
// and reports every divergence; with -out it writes minimized
// reproducers.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	c "github.com/autoscale-sim/autoscale-sim/internal/kedaconformance"
)

type summary struct {
	Upstream    string         `json:"upstream"`
	Cases       int            `json:"cases"`
	Queries     int            `json:"queries"`
	Rejected    int            `json:"rejected"`
	Diverging   int            `json:"divergingCases"`
	Divergences map[string]int `json:"divergences"`
	// LoopCases and LoopSteps count the scale loop cases (ScaledObjects
	// through the CRD schema, the webhook and the scale handler) and their
	// steps; LoopRefused those upstream refused at admission.
	LoopCases   int     `json:"loopCases"`
	LoopSteps   int     `json:"loopSteps"`
	LoopRefused int     `json:"loopRefused"`
	Seconds     float64 `json:"seconds"`
}

func main() {
	upstream := flag.String("upstream", "", "the upstream program and its arguments, space separated")
	version := flag.String("version", "2.20.2", "KEDA version of the model")
	cases := flag.Int("cases", 1000, "number of random cases")
	loopCases := flag.Int("loop-cases", 0, "number of random scale loop cases, after the scaler cases")
	seed := flag.Int64("seed", 1, "seed of the first case")
	budget := flag.Duration("budget", 0, "stop starting cases after this long")
	out := flag.String("out", "", "directory for minimized reproducers")
	perKind := flag.Int("per-kind", 1, "reproducers per divergence kind")
	replay := flag.String("replay", "", "replay one reproducer file and print both results")
	record := flag.Bool("record", false, "with -replay: store the upstream result in the file")
	sumFile := flag.String("summary", "", "write the summary as JSON to this file")
	verbose := flag.Bool("v", false, "print every divergence")
	flag.Parse()
	if *upstream == "" {
		fmt.Fprintln(os.Stderr, "keda-conformance: -upstream is required")
		os.Exit(2)
	}
	up, err := c.StartUpstream(strings.Fields(*upstream))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer up.Close()
	if *replay != "" {
		os.Exit(replayFile(up, *replay, *record))
	}
	start := time.Now()
	s := summary{Upstream: up.Release, Divergences: map[string]int{}}
	written := map[string]int{}
	for i := 0; i < *cases; i++ {
		if *budget > 0 && time.Since(start) > *budget {
			break
		}
		cs := c.Generate(*seed+int64(i), *version)
		ur, err := up.Run(cs)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		mr := c.RunModel(cs)
		s.Cases++
		s.Queries += len(cs.Answers)
		if ur.Error != "" {
			s.Rejected++
		}
		divs := c.Compare(mr, ur)
		if len(divs) == 0 {
			continue
		}
		s.Diverging++
		kinds := map[string]bool{}
		for _, d := range divs {
			kinds[d.Field] = true
			if *verbose {
				fmt.Printf("case %d: query %d %s: model %q, upstream %q\n", cs.Seed, d.Query, d.Field, d.Model, d.Upstream)
			}
		}
		for k := range kinds {
			s.Divergences[k]++
			if *out != "" && written[k] < *perKind {
				written[k]++
				if err := write(up, *out, k, cs); err != nil {
					fmt.Fprintln(os.Stderr, err)
				}
			}
		}
	}
	loopStart := time.Now()
	for i := 0; i < *loopCases; i++ {
		if *budget > 0 && time.Since(loopStart) > *budget {
			break
		}
		cs := c.GenerateLoop(*seed+int64(i), *version)
		ur, err := up.RunLoop(cs)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		mr := c.RunLoop(cs.Loop)
		s.LoopCases++
		s.LoopSteps += len(cs.Loop.Steps)
		if ur.Error != "" {
			s.LoopRefused++
		}
		divs := c.CompareLoop(mr, ur)
		if len(divs) == 0 {
			continue
		}
		s.Diverging++
		kinds := map[string]bool{}
		for _, d := range divs {
			kinds[d.Field] = true
			if *verbose {
				fmt.Printf("loop case %d: step %d %s: model %q, upstream %q\n", cs.Seed, d.Query, d.Field, d.Model, d.Upstream)
			}
		}
		for k := range kinds {
			s.Divergences[k]++
			if *out != "" && written[k] < *perKind {
				written[k]++
				if err := writeLoop(up, *out, k, cs); err != nil {
					fmt.Fprintln(os.Stderr, err)
				}
			}
		}
	}
	s.Seconds = time.Since(start).Seconds()
	fmt.Printf("%s: %d cases (%d refused at construction), %d queries; %d scale loop cases (%d refused at admission), %d steps; %d diverging cases, %.1fs\n",
		s.Upstream, s.Cases, s.Rejected, s.Queries, s.LoopCases, s.LoopRefused, s.LoopSteps, s.Diverging, s.Seconds)
	var ks []string
	for k := range s.Divergences {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	for _, k := range ks {
		fmt.Printf("  %-24s %d\n", k, s.Divergences[k])
	}
	if *sumFile != "" {
		b, _ := json.MarshalIndent(s, "", "  ")
		_ = os.WriteFile(*sumFile, append(b, '\n'), 0o644)
	}
	if s.Diverging > 0 {
		os.Exit(1)
	}
}

func diverges(up *c.Upstream, cs c.Case, kind string) bool {
	ur, err := up.Run(cs)
	if err != nil {
		return false
	}
	for _, d := range c.Compare(c.RunModel(cs), ur) {
		if d.Field == kind {
			return true
		}
	}
	return false
}

func write(up *c.Upstream, dir, kind string, cs c.Case) error {
	small := c.Minimize(cs, func(x c.Case) bool { return diverges(up, x, kind) })
	ur, err := up.Run(small)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	name := fmt.Sprintf("%s-%s-%d.json", strings.ReplaceAll(kind, ".", "-"), strings.ReplaceAll(cs.Version, ".", ""), cs.Seed)
	return c.Reproducer{Kind: kind, Upstream: up.Release, Case: small, Result: ur}.Write(filepath.Join(dir, name))
}

func loopDiverges(up *c.Upstream, cs c.Case, kind string) bool {
	ur, err := up.RunLoop(cs)
	if err != nil {
		return false
	}
	for _, d := range c.CompareLoop(c.RunLoop(cs.Loop), ur) {
		if d.Field == kind {
			return true
		}
	}
	return false
}

func writeLoop(up *c.Upstream, dir, kind string, cs c.Case) error {
	small := c.MinimizeLoop(cs, func(x c.Case) bool { return loopDiverges(up, x, kind) })
	ur, err := up.RunLoop(small)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	name := fmt.Sprintf("%s-%s-%d.json", strings.ReplaceAll(kind, ".", "-"), strings.ReplaceAll(cs.Version, ".", ""), cs.Seed)
	return c.Reproducer{Kind: kind, Upstream: up.Release, Case: small, LoopResult: &ur}.Write(filepath.Join(dir, name))
}

func replayFile(up *c.Upstream, path string, record bool) int {
	r, err := c.ReadReproducer(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if r.Case.Loop != nil {
		ur, err := up.RunLoop(r.Case)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		if record {
			r.LoopResult, r.Upstream = &ur, up.Release
			if err := r.Write(path); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 2
			}
		}
		mr := c.RunLoop(r.Case.Loop)
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(map[string]any{"upstream": ur, "model": mr, "divergences": c.CompareLoop(mr, ur)})
		return 0
	}
	ur, err := up.Run(r.Case)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if record {
		r.Result, r.Upstream = ur, up.Release
		if err := r.Write(path); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
	}
	mr := c.RunModel(r.Case)
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	_ = enc.Encode(map[string]any{"upstream": ur, "model": mr, "divergences": c.Compare(mr, ur)})
	return 0
}
