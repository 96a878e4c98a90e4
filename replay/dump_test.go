package replay

import (
	"strconv"
	"strings"
	"time"
)

// dump renders series compactly and NaN-safely for comparisons:
// one line per series, "labels: t=v t=v", times as Unix seconds.
func dump(series []Series) string {
	var b strings.Builder
	for _, s := range series {
		b.WriteString(s.String())
		b.WriteByte(':')
		for _, p := range s.Points {
			b.WriteByte(' ')
			b.WriteString(formatUnixSeconds(p.T))
			b.WriteByte('=')
			b.WriteString(strconv.FormatFloat(p.V, 'g', -1, 64))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func unix(sec int64) time.Time { return time.Unix(sec, 0).UTC() }
