// Command hpa-conformance runs random cases through the upstream HPA
// controller and the hpa package side by side and reports every
// divergence; with -out it writes each new kind of divergence, minimized,
// as a JSON reproducer.
//
// It must be built with the overlay of ../../overlay.sh (see
// ../../../run.sh) and should run without network (unshare -rn).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	c "github.com/autoscale-sim/autoscale-sim/internal/hpaconformance"

	"github.com/autoscale-sim/autoscale-sim/conformance/hpa/upstream"
)

// Summary is the machine-readable outcome of a campaign.
type Summary struct {
	Upstream    string         `json:"upstream"`
	Version     string         `json:"version"`
	Seed        int64          `json:"seed"`
	Cases       int            `json:"cases"`
	Invalid     int            `json:"invalid"`
	Steps       int            `json:"steps"`
	Diverging   int            `json:"divergingCases"`
	Divergences map[string]int `json:"divergences"`
	Seconds     float64        `json:"seconds"`
}

func kubernetesVersion() (string, string) {
	info, ok := debug.ReadBuildInfo()
	if ok {
		for _, d := range info.Deps {
			if d.Path == "k8s.io/kubernetes" {
				v := strings.TrimPrefix(d.Version, "v")
				parts := strings.SplitN(v, ".", 3)
				if len(parts) >= 2 {
					return "k8s.io/kubernetes " + d.Version, parts[0] + "." + parts[1]
				}
			}
		}
	}
	return "unknown", ""
}

func main() {
	cases := flag.Int("cases", 1000, "number of random cases")
	seed := flag.Int64("seed", 1, "seed of the first case; case i uses seed+i")
	budget := flag.Duration("budget", 0, "stop starting cases after this long (0: no limit)")
	out := flag.String("out", "", "directory for minimized reproducers of new divergence kinds")
	perKind := flag.Int("per-kind", 1, "reproducers to write per divergence kind")
	replay := flag.String("replay", "", "replay one case file (a reproducer) and print both results")
	record := flag.Bool("record", false, "with -replay: store the upstream result (and this release) in the file")
	jsonOut := flag.String("summary", "", "write the summary as JSON to this file")
	verbose := flag.Bool("v", false, "print every divergence")
	totals := flag.Bool("totals", false, "add up the summary files given as arguments")
	flag.Parse()
	if *totals {
		os.Exit(addUp(flag.Args()))
	}

	up, version := kubernetesVersion()
	if *replay != "" {
		os.Exit(replayFile(*replay, *record, up))
	}
	start := time.Now()
	sum := Summary{Upstream: up, Version: version, Seed: *seed, Divergences: map[string]int{}}
	written := map[string]int{}
	for i := 0; i < *cases; i++ {
		if *budget > 0 && time.Since(start) > *budget {
			break
		}
		var side *upstream.Side
		cs, res, err := c.Generate(*seed+int64(i), version, func(cs c.Case) (c.Stepper, []string, error) {
			s, invalid, err := upstream.Start(cs)
			side = s
			if s == nil {
				return nil, invalid, err
			}
			return s, nil, nil
		})
		if side != nil {
			side.Close()
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "case %d: upstream: %v\n", *seed+int64(i), err)
			os.Exit(2)
		}
		sum.Cases++
		sum.Steps += len(res.Steps)
		if res.Invalid != nil {
			sum.Invalid++
		}
		model, err := c.RunModel(cs)
		if err != nil {
			fmt.Fprintf(os.Stderr, "case %d: model: %v\n", cs.Seed, err)
			os.Exit(2)
		}
		divs := c.Compare(model, res)
		if len(divs) == 0 {
			continue
		}
		sum.Diverging++
		kinds := map[string]bool{}
		for _, d := range divs {
			kinds[d.Kind()] = true
			if *verbose {
				fmt.Printf("case %d: %s\n", cs.Seed, d)
			}
		}
		for k := range kinds {
			sum.Divergences[k]++
			if *out != "" && written[k] < *perKind {
				written[k]++
				if err := writeReproducer(*out, k, up, cs); err != nil {
					fmt.Fprintf(os.Stderr, "case %d: %v\n", cs.Seed, err)
				}
			}
		}
	}
	sum.Seconds = time.Since(start).Seconds()
	print(sum)
	if *jsonOut != "" {
		b, _ := json.MarshalIndent(sum, "", "  ")
		if err := os.WriteFile(*jsonOut, append(b, '\n'), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	if sum.Diverging > 0 {
		os.Exit(1)
	}
}

func print(s Summary) {
	fmt.Printf("%s (Kubernetes %s): %d cases (%d rejected by the API), %d syncs, %d diverging cases, %.1fs\n",
		s.Upstream, s.Version, s.Cases, s.Invalid, s.Steps, s.Diverging, s.Seconds)
	var ks []string
	for k := range s.Divergences {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	for _, k := range ks {
		fmt.Printf("  %-24s %d\n", k, s.Divergences[k])
	}
}

// diverges reports whether cs still shows a divergence of kind.
func diverges(cs c.Case, kind string) (c.Result, bool) {
	res, err := upstream.Run(cs)
	if err != nil {
		return res, false
	}
	model, err := c.RunModel(cs)
	if err != nil {
		return res, false
	}
	for _, d := range c.Compare(model, res) {
		if d.Kind() == kind {
			return res, true
		}
	}
	return res, false
}

func writeReproducer(dir, kind, up string, cs c.Case) error {
	// The first divergent step ends the case.
	res, err := upstream.Run(cs)
	if err != nil {
		return err
	}
	model, err := c.RunModel(cs)
	if err != nil {
		return err
	}
	for _, d := range c.Compare(model, res) {
		if d.Kind() == kind && d.Step >= 0 && d.Step+1 < len(cs.Steps) {
			cs.Steps = cs.Steps[:d.Step+1]
			break
		}
	}
	small := c.Minimize(cs, func(x c.Case) bool { _, ok := diverges(x, kind); return ok })
	small.Seed = cs.Seed
	res, _ = diverges(small, kind)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	name := fmt.Sprintf("%s-%s-%d.json", strings.ReplaceAll(kind, ".", "-"), strings.ReplaceAll(cs.Version, ".", ""), cs.Seed)
	r := c.Reproducer{Kind: kind, Upstream: up, Case: small, Result: res}
	return r.Write(filepath.Join(dir, name))
}

func replayFile(path string, record bool, up string) int {
	r, err := c.ReadReproducer(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	res, err := upstream.Run(r.Case)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if record {
		r.Result, r.Upstream = res, up
		if err := r.Write(path); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
	}
	model, err := c.RunModel(r.Case)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	_ = enc.Encode(map[string]any{"upstream": res, "model": model, "divergences": c.Compare(model, res)})
	return 0
}

// addUp prints the sum of several campaign summaries.
func addUp(files []string) int {
	all := Summary{Upstream: "all releases", Divergences: map[string]int{}}
	var versions []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		var s Summary
		if err := json.Unmarshal(b, &s); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", f, err)
			return 2
		}
		versions = append(versions, s.Version)
		all.Cases += s.Cases
		all.Invalid += s.Invalid
		all.Steps += s.Steps
		all.Diverging += s.Diverging
		all.Seconds += s.Seconds
		for k, n := range s.Divergences {
			all.Divergences[k] += n
		}
	}
	all.Version = strings.Join(versions, ", ")
	print(all)
	return 0
}
