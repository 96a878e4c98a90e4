package scenarios

import (
	"errors"
	"strings"

	"github.com/autoscale-sim/autoscale-sim/cluster"
)

// nodePool decodes spec.nodePool with cluster.DecodePool, at its node, so
// that its problems carry this file's lines and the full field path.
func nodePool(v node) *cluster.Pool {
	p, err := cluster.DecodePool(v.ps.file, v.n, v.path)
	if err == nil {
		return &p
	}
	var ce *cluster.Error
	if !errors.As(err, &ce) {
		v.fail("%v", err)
		return nil
	}
	for _, pr := range ce.Problems {
		v.ps.list = append(v.ps.list, Problem{File: v.ps.file, Line: pr.Line, Path: strings.TrimPrefix(pr.Path, "."), Message: pr.Message})
	}
	return nil
}
