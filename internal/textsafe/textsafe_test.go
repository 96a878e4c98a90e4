package textsafe_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/autoscale-sim/autoscale-sim/internal/textsafe"
)

func TestLine(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"demo-ws-server", "demo-ws-server"},
		{"héllo · wörld", "héllo · wörld"},
		{"a\x1b[31mred", `a\x1b[31mred`},
		{"title\x1b]0;pwned\x07", `title\x1b]0;pwned\x07`},
		{"x\nPASS", `x\nPASS`},
		{"tab\there\r", `tab\there\r`},
		{"rtl\u202eevil", `rtl\u202eevil`},
		{"c1\u009bthing", `c1\x9bthing`},
		{"bad\xffutf8", `bad\ufffdutf8`},
		{"del\x7f", `del\x7f`},
	} {
		require.Equal(t, tc.want, textsafe.Line(tc.in), "%q", tc.in)
	}
	require.Equal(t, "a\nb\tc\\x1b", textsafe.Text("a\nb\tc\x1b"))
	require.Equal(t, `abc\x1b...`, textsafe.Excerpt("abc\x1bdef", 7))
	require.Equal(t, "short", textsafe.Excerpt("short", 7))
}

func TestWriterJoinsSplitRunes(t *testing.T) {
	var b bytes.Buffer
	w := textsafe.NewWriter(&b)
	in := []byte("é\x1b[2J·ok\n")
	for i := range in { // one byte per write
		_, err := w.Write(in[i : i+1])
		require.NoError(t, err)
	}
	require.NoError(t, w.Flush())
	require.Equal(t, "é\\x1b[2J·ok\n", b.String())
}
