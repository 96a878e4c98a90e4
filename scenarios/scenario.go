package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/autoscale-sim/autoscale-sim/hpa"
	"github.com/autoscale-sim/autoscale-sim/keda"
	"github.com/autoscale-sim/autoscale-sim/promql"
	"github.com/autoscale-sim/autoscale-sim/sim"
)

// APIVersion and Kind identify a scenario file.
const (
	APIVersion = "autoscale-sim.dev/v1alpha1"
	Kind       = "Scenario"
)

// Scenario is a loaded scenario file, ready to run.
type Scenario struct {
	// File is the path the scenario was loaded from.
	File        string
	Name        string
	Description string
	// Spec is the simulation, with the autoscaler taken from the
	// referenced manifests.
	Spec sim.Spec
	// Expect are the claims of spec.expect (see Expectation).
	Expect []Expectation
	// KubernetesVersion is spec.versions.kubernetes as written, "" when
	// the scenario models the default release (reports name it).
	KubernetesVersion string
	// Runs is spec.runs: how many seeded variants to run (0 or 1: one).
	Runs int
	// Default is set on the scenario DefaultScenario makes for manifests
	// given alone: it has no load, so simulated checks do not apply.
	Default bool
	// Files are the files the scenario was read from (LoadWith): the
	// scenario, its manifests, its recordings. Outputs never overwrite
	// them.
	Files []string
	// Warnings are problems that do not stop the run, such as an
	// authenticationRef to credentials the manifests do not hold; the CLI
	// prints them and lint reports them.
	Warnings []Problem

	// replays are the recordings named by loads and series, read after
	// the scenario itself is known to be well formed.
	replays []replayRef
	// rateless are the queue loads without serviceRate: allowed only as
	// the queue a ScaledJob's Jobs drain.
	rateless []node
	// autoscaler is the manifest document of the simulated autoscaler.
	autoscaler document
	// queryOrigins locates the query behind each HPA metric served by an
	// adapter rule, by metric index (see LocateError).
	queryOrigins map[int]Problem
	// arrivals are the loads fed by another workload (arrivalsFrom).
	arrivals []arrival
	// inManifests are the autoscalers the manifests hold (kind/name),
	// chosen the one simulated.
	inManifests []string
	chosen      string

	// Namespace is set for a scenario with spec.workloads: several
	// workloads simulated together (Spec is then empty).
	Namespace *Namespace
}

// Locate returns the manifest file and line of a field path of the
// simulated autoscaler, such as "spec.cooldownPeriod" or
// "spec.triggers[0].metadata.threshold". A path that is not in the file
// (a defaulted field) gives the line of its deepest ancestor that is, and
// "" the first line of the object. It returns "", 0 for a scenario not
// loaded from files.
func (sc *Scenario) Locate(path string) (file string, line int) {
	if sc == nil || sc.autoscaler.root == nil {
		return "", 0
	}
	return sc.autoscaler.file, sc.autoscaler.line(path)
}

// Load reads a scenario file and the manifests it references (paths are
// relative to the scenario file). Every problem found is returned at once
// in an *Error, each located by file, line and field path.
func Load(path string) (*Scenario, error) {
	return LoadWith(path, Options{})
}

// ReadFunc reads a file referenced by a scenario.
type ReadFunc func(name string) ([]byte, error)

// Parse decodes a scenario. file names it in error messages; read loads
// the manifests it references.
func Parse(file string, data []byte, read ReadFunc) (*Scenario, error) {
	return ParseWith(file, data, read, Options{})
}

// ParseWith is Parse with options (see Options).
func ParseWith(file string, data []byte, read ReadFunc, opts Options) (*Scenario, error) {
	if len(opts.Overrides) > 0 {
		return parseOverridden(file, data, read, opts)
	}
	ps := &problems{file: file}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, &Error{Problems: []Problem{syntaxProblem(file, data, err)}}
	}
	if len(doc.Content) == 0 {
		return nil, &Error{Problems: []Problem{{File: file, Message: "empty scenario file; want apiVersion: " + APIVersion + ", kind: " + Kind}}}
	}
	if !expandAliases(ps, doc.Content[0]) {
		return nil, ps.err()
	}
	if more, err := laterDocuments(file, data, dec); err != nil {
		return nil, err
	} else if more {
		// The manifests follow the scenario in the same file.
		opts.Manifests = append(opts.Manifests, Input{Name: file, Data: data})
	}
	if len(opts.scenarioSets) > 0 {
		applyScenarioSets(ps, doc.Content[0], opts.scenarioSets)
		if err := ps.err(); err != nil {
			return nil, err
		}
	}
	if spec := doc.Content[0]; spec.Kind == yaml.MappingNode && hasKey(spec, "spec") {
		if sp := mappingValue(spec, "spec"); sp.Kind == yaml.MappingNode && hasKey(sp, "workloads") {
			return parseNamespace(file, doc.Content[0], read, opts, ps)
		}
	}
	return parseDocument(file, doc.Content[0], read, opts, ps)
}

// parseDocument decodes the scenario document rootN: one workload.
func parseDocument(file string, rootN *yaml.Node, read ReadFunc, opts Options, ps *problems) (*Scenario, error) {
	sc := &Scenario{File: file}
	var ms manifestRefs
	root := node{n: rootN, ps: ps}
	root.walk(rootSection, func(key string, v node) {
		switch key {
		case "apiVersion":
			if s := v.str(); s != APIVersion {
				v.fail("unsupported value %q; allowed: %s", s, APIVersion)
			}
		case "kind":
			if s := v.str(); s != Kind {
				v.fail("unsupported value %q; allowed: %s", s, Kind)
			}
		case "metadata":
			v.walk(metadataSection, func(key string, v node) {
				switch key {
				case "name":
					sc.Name = v.str()
				case "description":
					sc.Description = v.str()
				}
			})
		case "spec":
			ms = scenarioSpec(v, sc)
		}
	})
	if root.isNull() {
		root.fail("the scenario is null; want a mapping with apiVersion: %s, kind: %s, metadata and spec", APIVersion, Kind)
	}
	if root.n.Kind == yaml.MappingNode {
		for _, k := range rootSection.required {
			if !hasKey(root.n, k) {
				root.fail("%s must be set", k)
			}
		}
	}
	sc.Spec.Name = sc.Name
	pastTheEnd(ps, sc)
	if err := ps.err(); err != nil {
		return nil, err
	}
	if len(sc.arrivals) > 0 && !opts.inNamespace {
		for _, a := range sc.arrivals {
			a.n.fail("arrivalsFrom names another workload of the namespace: it needs spec.workloads")
		}
		return nil, ps.err()
	}
	ms.resolve(sc, read, opts, ps)
	resolveReplays(sc, read, opts, ps)
	if err := ps.err(); err != nil {
		return nil, err
	}
	sc.Spec.Limits = opts.Limits
	if err := sc.Spec.Defaulted().Validate(); err != nil {
		return nil, &Error{Problems: sc.validationProblems(root, err)}
	}
	return sc, nil
}

// pastTheEnd reports expectations about instants after the end of the
// run: the run cannot answer them, so they are errors, not passes.
func pastTheEnd(ps *problems, sc *Scenario) {
	end := sc.Spec.Duration
	if end <= 0 {
		return
	}
	for _, e := range sc.Expect {
		check := func(what string, d *time.Duration) {
			if d != nil && *d > end {
				ps.list = append(ps.list, Problem{File: e.File, Line: e.Line, Path: "spec.expect",
					Message: fmt.Sprintf("%s: %s %s is after the end of the run (spec.duration %s); the run cannot answer it", e.Name, what, shortDuration(*d), shortDuration(end))})
			}
		}
		check("at", e.At)
		check("by", e.By)
		check("zeroBy", e.ZeroBy)
		if e.During != nil {
			check("during ends at", &e.During[1])
		}
	}
}

// laterDocuments reports whether the scenario file holds more documents
// after the scenario. They may only be manifests the simulation reads
// (a ScaledObject, a Deployment...): anything else would be silently
// ignored, so it is an error at its line.
func laterDocuments(file string, data []byte, dec *yaml.Decoder) (bool, error) {
	var any bool
	ps := &problems{file: file}
	for {
		var d yaml.Node
		err := dec.Decode(&d)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return false, &Error{Problems: []Problem{syntaxProblem(file, data, err)}}
		}
		if len(d.Content) == 0 {
			continue
		}
		any = true
		one, err := yaml.Marshal(d.Content[0])
		if err != nil {
			continue
		}
		m, _ := ParseManifests(file, one)
		if m != nil && len(m.Ignored) > 0 {
			ps.add(d.Content[0].Line, "", "a scenario file holds the scenario, then optionally the manifests it simulates; %s is not one the simulation reads: put it in its own file (spec.autoscaler.manifests files may hold any kind)", m.Ignored[0])
		}
	}
	return any, ps.err()
}

// validationProblems locates what sim.Spec.Validate refuses: a limit
// at the field that exceeds it, anything else at the scenario file.
func (sc *Scenario) validationProblems(root node, err error) []Problem {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	var out []Problem
	for _, e := range errs {
		p := Problem{File: sc.File, Message: e.Error()}
		var le *sim.LimitError
		if errors.As(e, &le) {
			p.Message = strings.TrimPrefix(le.Error(), le.Field+": ")
			scenarioPath := map[string]string{
				"duration":                  "spec.duration",
				"workload replicas":         "spec.workload.replicas",
				"the scenario's loads":      "spec.load",
				"the scenario's raw series": "spec.series",
			}[le.Field]
			if scenarioPath == "spec.duration" && hasPath(root, "spec.sim.tick") {
				scenarioPath = "spec.sim.tick"
			}
			switch {
			case scenarioPath != "" && hasPath(root, scenarioPath):
				p.Path, p.Line = scenarioPath, lineOf(root, scenarioPath)
			default:
				manifestPath := map[string]string{
					"maximum replicas":                           "spec.maxReplicaCount",
					"the ScaledObject's spec.triggers":           "spec.triggers",
					"the ScaledJob's spec.triggers":              "spec.triggers",
					"the HorizontalPodAutoscaler's spec.metrics": "spec.metrics",
				}[le.Field]
				if le.Field == "maximum replicas" && sc.Spec.HPA != nil {
					manifestPath = "spec.maxReplicas"
				}
				if f, l := sc.Locate(manifestPath); manifestPath != "" && f != "" {
					p.File, p.Line, p.Path = f, l, manifestPath
				} else {
					p.Path = le.Field
				}
			}
		}
		out = append(out, p)
	}
	return out
}

// hasPath reports whether the document sets the dotted path.
func hasPath(root node, path string) bool {
	cur := root.n
	for _, key := range strings.Split(path, ".") {
		if cur.Kind != yaml.MappingNode {
			return false
		}
		next := mappingValue(cur, key)
		if next == cur {
			return false
		}
		cur = next
	}
	return true
}

func hasKey(m *yaml.Node, key string) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return true
		}
	}
	return false
}

// manifestRefs is what spec.autoscaler says about the manifests, resolved
// after the scenario itself is known to be well formed.
type manifestRefs struct {
	files      []node
	kind, name string
	kedaVer    string
	node       node
	namespace  string
	replicas   *int32
	rules      []sim.AdapterRule
	// metricIndexes are the metric: fields of spec.faults and the entries of
	// autoscaler.allowEmptyQueries, checked against
	// the autoscaler once it is known.
	metricIndexes []node
	// ruleNodes locate refs.rules; adapterConfig is spec.adapter.config,
	// relist and maxAge the adapter's discovery timing.
	ruleNodes      []node
	adapterConfig  node
	relist, maxAge time.Duration
	// discovery and annotationLabels are spec.prometheus's choice of
	// scrape jobs (see resolution.monitoring).
	discovery, annotationLabels string
	// given records the scenario fields that were set (path from spec,
	// e.g. "workload.podStartup"), which win over the manifests.
	given map[string]node
	// jobs is spec.jobs, for a ScaledJob (jobsNode locates it, jobQueue
	// names its queue load).
	jobs     sim.JobModel
	jobsNode *node
	jobQueue node
	// annotate locates spec.annotate, which only a ScaledObject accepts;
	// annotateAt its entries' instants.
	annotate   node
	annotateAt []node
}

func scenarioSpec(n node, sc *Scenario) manifestRefs {
	refs := manifestRefs{given: map[string]node{}}
	refs.node = n
	s := &sc.Spec
	s.Controller = hpa.DefaultConfig()
	kubeVersion := ""
	n.walk(specSection, func(key string, v node) {
		switch key {
		case "adapter":
			v.walk(adapterSection, func(key string, v node) {
				switch key {
				case "config":
					refs.adapterConfig = v
					v.str()
					return
				case "relistInterval":
					refs.relist = positiveDuration(v)
					refs.given["adapter.relistInterval"] = v
					return
				case "maxAge":
					refs.maxAge = positiveDuration(v)
					return
				}
				v.items(func(i int, v node) {
					var r sim.AdapterRule
					v.walk(adapterRuleSection, func(key string, v node) {
						switch key {
						case "name":
							r.Name = v.str()
						case "query":
							r.Query = v.str()
							checkQuery(v, r.Query)
						}
					})
					if r.Name == "" || r.Query == "" {
						v.fail("name and query must be set")
					}
					refs.rules = append(refs.rules, r)
					refs.ruleNodes = append(refs.ruleNodes, v)
				})
			})
		case "duration":
			s.Duration = v.duration()
			if s.Duration == 0 {
				v.fail("must be positive")
			}
		case "autoscaler":
			v.walk(autoscalerSection, func(key string, v node) {
				switch key {
				case "allowEmptyQueries":
					v.items(func(i int, v node) {
						s.AllowEmptyQueries = append(s.AllowEmptyQueries, int(v.int32()))
						refs.metricIndexes = append(refs.metricIndexes, v)
					})
				case "manifests":
					if v.n.Kind == yaml.ScalarNode {
						v.str()
						refs.files = append(refs.files, v)
					} else {
						v.items(func(i int, v node) { v.str(); refs.files = append(refs.files, v) })
					}
				case "kind":
					refs.kind = v.str()
					if !contains(autoscalerSection.field("kind").enum, refs.kind) {
						v.fail("unsupported value %q; allowed: ScaledObject, ScaledJob, HorizontalPodAutoscaler", refs.kind)
					}
				case "name":
					refs.name = v.str()
				}
			})
		case "versions":
			v.walk(versionsSection, func(key string, v node) {
				switch key {
				case "kubernetes":
					kubeVersion = v.str()
					sc.KubernetesVersion = kubeVersion
					cfg, err := hpa.ConfigForKubernetesVersion(kubeVersion)
					if err != nil {
						v.fail("%v", err)
					} else {
						s.Controller = cfg
					}
				case "keda":
					refs.kedaVer = v.str()
					if _, err := keda.ResolveVersion(refs.kedaVer); err != nil {
						v.fail("%v", err)
					}
				}
			})
		case "controller":
			// Applied after versions, whatever the order in the file.
		case "prometheus":
			v.walk(prometheusSection, func(key string, v node) {
				refs.given["prometheus."+key] = v
				switch key {
				case "discovery":
					refs.discovery = v.str()
					if !contains(prometheusSection.field("discovery").enum, refs.discovery) {
						v.fail("unsupported value %q; allowed: auto (the Prometheus Operator's monitors when the manifests hold some for the workload, else prometheus.io/scrape annotations), operator, annotations, both, none (namespace, pod and job labels only)", refs.discovery)
					}
				case "annotationLabels":
					refs.annotationLabels = v.str()
					if !contains(prometheusSection.field("annotationLabels").enum, refs.annotationLabels) {
						v.fail("unsupported value %q; allowed: current (namespace, pod: prometheus chart 15.0.0 and later), legacy (kubernetes_namespace, kubernetes_pod_name)", refs.annotationLabels)
					}
				case "scrapeInterval":
					s.Prometheus.ScrapeInterval = positiveDuration(v)
				case "lookbackDelta":
					s.Prometheus.LookbackDelta = positiveDuration(v)
				case "job":
					s.Prometheus.Job = v.str()
				case "evaluation":
					e, err := promql.ParseEvaluation(v.str())
					if err != nil {
						v.fail("%v", err)
					}
					s.Prometheus.Evaluation = e
				}
			})
		case "jobs":
			vv := v
			refs.jobsNode = &vv
			refs.given["jobs"] = v
			refs.jobs = sim.JobModel{Queue: -1}
			v.walk(jobsSection, func(key string, v node) {
				switch key {
				case "queue":
					v.str()
					refs.jobQueue = v
				case "messagesPerPod":
					refs.jobs.MessagesPerPod = int(v.int32())
					if refs.jobs.MessagesPerPod < 1 {
						v.fail("must be at least 1")
					}
				case "duration":
					refs.jobs.Duration, refs.jobs.DurationDist = podStartup(v)
				}
			})
		case "workload":
			v.walk(workloadSection, func(key string, v node) {
				refs.given["workload."+key] = v
				switch key {
				case "namespace":
					refs.namespace = v.str()
				case "replicas":
					refs.replicas = v.int32p()
					if *refs.replicas < 0 {
						v.fail("must not be negative, got %d", *refs.replicas)
					}
				case "podStartup":
					s.Workload.PodStartup, s.Workload.PodStartupDist = podStartup(v)
				case "resources":
					s.Workload.Resources = resources(v, sc)
				case "crashes":
					s.Workload.Crashes = crashes(v)
				case "podTermination":
					s.Workload.PodTermination = v.duration()
				}
			})
		case "load":
			v.items(func(i int, v node) {
				if l, ok := load(v, sc, len(s.Loads)); ok {
					s.Loads = append(s.Loads, l)
				}
			})
		case "series":
			v.items(func(i int, v node) {
				if r, ok := rawSeries(v, sc, len(s.Series)); ok {
					s.Series = append(s.Series, r)
				}
			})
		case "faults":
			v.items(func(i int, v node) {
				f, metric := fault(v)
				s.Faults = append(s.Faults, f)
				if f.Metric != nil {
					refs.metricIndexes = append(refs.metricIndexes, metric)
				}
			})
		case "annotate":
			v.items(func(i int, v node) {
				c, at := annotation(v)
				s.Annotate = append(s.Annotate, c)
				refs.annotateAt = append(refs.annotateAt, at)
			})
			refs.annotate = v
		case "expect":
			sc.Expect = expectations(v)
		case "phases":
			s.Phases = phases(v)
		case "runs":
			sc.Runs = int(v.int32())
		case "nodePool":
			s.NodePool = nodePool(v)
			// Settings name the key's line, as a block mapping's value
			// starts on the next one.
			at := func(m *yaml.Node, key string) node { return node{n: &yaml.Node{Line: keyLine(m, key)}} }
			refs.given["nodePool"] = at(n.n, "nodePool")
			if a := mappingValue(v.n, "autoscaler"); a != v.n {
				refs.given["nodePool.autoscaler"] = at(v.n, "autoscaler")
				if mappingValue(a, "provisioning") != a {
					refs.given["nodePool.autoscaler.provisioning"] = at(a, "provisioning")
				}
			}
		case "sim":
			v.walk(simSection, func(key string, v node) {
				switch key {
				case "tick":
					s.Tick = positiveDuration(v)
				case "traceInterval":
					s.TraceInterval = positiveDuration(v)
				case "seed":
					s.Seed = int64(v.int32())
				case "start":
					str := v.str()
					t, err := time.Parse(time.RFC3339, str)
					if err != nil {
						v.fail("must be an RFC 3339 time such as 2026-01-01T00:00:00Z, got %q", str)
					}
					s.Start = t.UTC()
				}
			})
		}
	})
	// Controller flags override the version defaults.
	for i := 0; i+1 < len(n.n.Content) && n.n.Kind == yaml.MappingNode; i += 2 {
		if n.n.Content[i].Value == "controller" {
			controller(n.child("controller", n.n.Content[i+1]), &s.Controller)
		}
	}
	if s.Duration == 0 && !hasKey(n.n, "duration") {
		n.fail("duration must be set, e.g. 20m")
	}
	refs.jobQueueIndex(sc)
	return refs
}

// jobQueueIndex resolves spec.jobs.queue to a load (by default the only
// queue load), and refuses queue loads without serviceRate that no Jobs
// drain.
func (refs *manifestRefs) jobQueueIndex(sc *Scenario) {
	loads := sc.Spec.Loads
	if refs.jobsNode != nil {
		if refs.jobQueue.n != nil {
			name := refs.jobQueue.n.Value
			refs.jobs.Queue = slices.IndexFunc(loads, func(l sim.Load) bool { return l.Metric == name })
			switch {
			case refs.jobs.Queue < 0:
				refs.jobQueue.fail("no load produces %q", name)
			case loads[refs.jobs.Queue].Model != sim.Queue:
				refs.jobQueue.fail("load %q is of model %s; the Jobs take messages from a load of model queue", name, loads[refs.jobs.Queue].Model)
			}
		} else {
			var queues []int
			for i, l := range loads {
				if l.Model == sim.Queue {
					queues = append(queues, i)
				}
			}
			if len(queues) == 1 {
				refs.jobs.Queue = queues[0]
			} else if len(queues) > 1 {
				refs.jobsNode.fail("several loads are queues; name the one the Jobs drain with queue")
			}
		}
	}
	for _, n := range sc.rateless {
		i := 0
		for j, l := range loads {
			if l.Metric == mappingValue(n.n, "metric").Value {
				i = j
			}
		}
		if refs.jobsNode == nil || refs.jobs.Queue != i {
			n.fail("the queue model needs serviceRate, the items per second one pod processes (only the queue a ScaledJob's Jobs drain goes without)")
		}
	}
}

func controller(n node, c *hpa.Config) {
	n.walk(controllerSection, func(key string, v node) {
		switch key {
		case "syncPeriod":
			c.SyncPeriod = v.duration()
			if c.SyncPeriod == 0 {
				v.fail("must be positive")
			}
		case "tolerance":
			c.Tolerance = v.float()
			if c.Tolerance < 0 {
				v.fail("must not be negative, got %g", c.Tolerance)
			}
		case "downscaleStabilization":
			c.DownscaleStabilization = v.duration()
		case "cpuInitializationPeriod":
			c.CPUInitializationPeriod = v.duration()
		case "initialReadinessDelay":
			c.InitialReadinessDelay = v.duration()
		}
	})
}

// checkQuery parses a PromQL query at load time so that a typo is reported
// with its line, not at the first poll.
func checkQuery(v node, q string) {
	if err := promql.ParseQuery(q); err != nil {
		var pe *promql.ParseError
		if errors.As(err, &pe) {
			v.fail("invalid PromQL at column %d: %s", pe.Column, pe.Msg)
		} else {
			v.fail("invalid PromQL: %v", err)
		}
	}
}

func nameHint(r manifestRefs) string {
	if r.name == "" {
		return ""
	}
	return fmt.Sprintf(" named %q", r.name)
}

// displayPath names a manifest in messages relative to where the user
// ran the command, the way they wrote the scenario path.
func displayPath(scenarioFile, name string) string {
	if filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(filepath.Dir(scenarioFile), name)
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Path, pe.Err)
	}
	return err
}
