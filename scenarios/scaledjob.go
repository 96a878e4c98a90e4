package scenarios

import (
	"errors"
	"fmt"

	batchv1 "k8s.io/api/batch/v1"

	"github.com/autoscale-sim/autoscale-sim/keda"
	"github.com/autoscale-sim/autoscale-sim/promql"
)

// parseScaledJob decodes a keda.sh/v1alpha1 ScaledJob: its spec with the
// walker, jobTargetRef as the batch/v1 JobSpec it is, then KEDA's checks
// for the newest release (the scenario's version is checked when it is
// known).
func parseScaledJob(root node) *keda.ScaledJob {
	sj := &keda.ScaledJob{}
	var specSeen bool
	root.fields([]string{"apiVersion", "kind", "metadata", "spec", "status"}, func(key string, v node) {
		switch key {
		case "metadata":
			m := objectMeta(v)
			sj.Name, sj.Namespace, sj.Annotations = m.Name, m.Namespace, m.Annotations
		case "spec":
			specSeen = true
			scaledJobSpec(v, sj)
		}
	})
	if !specSeen {
		root.fail("spec must be set")
	}
	for i, t := range sj.Triggers {
		if q, ok := t.Metadata["query"]; ok && t.Type == "prometheus" && q != "" {
			path := fmt.Sprintf("spec.triggers[%d].metadata.query", i)
			if err := promql.ParseQuery(q); err != nil {
				msg := err.Error()
				var pe *promql.ParseError
				if errors.As(err, &pe) {
					msg = fmt.Sprintf("column %d: %s", pe.Column, pe.Msg)
				}
				root.ps.add(lineOf(root, path), path, "invalid PromQL: %s", msg)
			}
		}
	}
	return sj
}

func scaledJobSpec(n node, sj *keda.ScaledJob) {
	n.fields([]string{"jobTargetRef", "pollingInterval", "successfulJobsHistoryLimit", "failedJobsHistoryLimit", "envSourceContainerName",
		"minReplicaCount", "maxReplicaCount", "rolloutStrategy", "rollout", "scalingStrategy", "triggers"}, func(key string, v node) {
		switch key {
		case "jobTargetRef":
			var js batchv1.JobSpec
			if decodeAPIObject(v, &js) {
				sj.Job = keda.JobSpec{Parallelism: js.Parallelism, Completions: js.Completions,
					ActiveDeadlineSeconds: js.ActiveDeadlineSeconds, BackoffLimit: js.BackoffLimit}
				sj.JobTemplate = js.Template
			}
		case "pollingInterval":
			sj.PollingInterval = v.int32p()
		case "successfulJobsHistoryLimit":
			sj.SuccessfulJobsHistoryLimit = v.int32p()
		case "failedJobsHistoryLimit":
			sj.FailedJobsHistoryLimit = v.int32p()
		case "envSourceContainerName":
			v.str()
		case "minReplicaCount":
			sj.MinReplicaCount = v.int32p()
		case "maxReplicaCount":
			sj.MaxReplicaCount = v.int32p()
		case "rolloutStrategy":
			sj.RolloutStrategy = v.str()
		case "rollout":
			v.fields([]string{"strategy", "propagationPolicy"}, func(key string, v node) {
				if key == "strategy" {
					sj.Rollout.Strategy = v.str()
				} else {
					sj.Rollout.PropagationPolicy = v.str()
				}
			})
		case "scalingStrategy":
			ss := &sj.ScalingStrategy
			v.fields([]string{"strategy", "customScalingQueueLengthDeduction", "customScalingRunningJobPercentage", "pendingPodConditions", "multipleScalersCalculation"}, func(key string, v node) {
				switch key {
				case "strategy":
					ss.Strategy = v.str()
				case "customScalingQueueLengthDeduction":
					ss.CustomScalingQueueLengthDeduction = v.int32p()
				case "customScalingRunningJobPercentage":
					ss.CustomScalingRunningJobPercentage = v.str()
				case "pendingPodConditions":
					v.items(func(i int, v node) { ss.PendingPodConditions = append(ss.PendingPodConditions, v.str()) })
				case "multipleScalersCalculation":
					ss.MultipleScalersCalculation = v.str()
				}
			})
		case "triggers":
			v.items(func(i int, v node) { sj.Triggers = append(sj.Triggers, trigger(v)) })
		}
	})
	if !hasKey(n.n, "jobTargetRef") {
		n.fail("jobTargetRef must be set (KEDA: ScaledJob.spec.jobTargetRef not found)")
	}
}
