package keda

import (
	"time"
)

func i32(v int32) *int32 { return &v }

// promSO is a minimal valid ScaledObject with one Prometheus trigger.
func promSO() *ScaledObject {
	return &ScaledObject{
		Name:           "ws",
		Namespace:      "demo",
		ScaleTargetRef: ScaleTarget{Name: "server"},
		Triggers: []Trigger{{
			Type: "prometheus",
			Metadata: map[string]string{
				"serverAddress": "http://prometheus:9090",
				"query":         "sum(connections)",
				"threshold":     "40",
			},
		}},
	}
}

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func at(sec int) time.Time { return t0.Add(time.Duration(sec) * time.Second) }

func obs(values ...float64) []TriggerObservation {
	out := make([]TriggerObservation, len(values))
	for i, v := range values {
		out[i] = TriggerObservation{Value: v, Active: v > 0}
	}
	return out
}
