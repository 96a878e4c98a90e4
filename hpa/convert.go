package hpa

import "math"

// Go leaves a float-to-integer conversion whose value does not fit the
// integer type implementation-defined. kube-controller-manager is built
// for amd64 first, where the conversion instructions (CVTTSD2SL,
// CVTTSD2SQ) return the "integer indefinite" value, the most negative
// integer, for NaN, infinities and anything out of range. The helpers
// below give that answer on every platform, so the model is
// deterministic and matches the upstream binary users run.

// toInt32 is int32(f) as amd64 computes it.
func toInt32(f float64) int32 {
	if !(f > math.MinInt32-1 && f < math.MaxInt32+1) {
		return math.MinInt32
	}
	return int32(f)
}

// toInt64 is int64(f) as amd64 computes it.
func toInt64(f float64) int64 {
	if !(f >= math.MinInt64 && f < math.MaxInt64) {
		return math.MinInt64
	}
	return int64(f)
}

// ceilToInt32 is int32(math.Ceil(f)), the replica conversion upstream
// uses wherever it does not cap the value first.
func ceilToInt32(f float64) int32 { return toInt32(math.Ceil(f)) }
