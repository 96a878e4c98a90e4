package scenarios

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestExpectations(t *testing.T) {
	scen := goodScenario + `  expect:
  - name: peak
    reaches: 5
    by: 1m
  - name: window
    during: [1m, 4m]
    min: 5
  - name: calm
    maxScaleEventsPerHour: 3
`
	sc, err := Parse("scenario.yaml", []byte(scen), func(string) ([]byte, error) { return []byte(overrideSO), nil })
	require.NoError(t, err)
	require.Len(t, sc.Expect, 3)
	e := sc.Expect[0]
	require.Equal(t, "peak", e.Name)
	require.Equal(t, "scenario.yaml", e.File)
	require.Equal(t, 13, e.Line)
	require.Equal(t, int32(5), *e.Reaches)
	require.Equal(t, time.Minute, *e.By)
	require.Equal(t, [2]time.Duration{time.Minute, 4 * time.Minute}, *sc.Expect[1].During)
	require.Equal(t, int32(3), *sc.Expect[2].MaxScaleEventsPerHour)

	_, err = Parse("scenario.yaml", []byte(goodScenario+`  expect:
  - name: a
    zeroBy: 1m
  - name: a
    noChange: true
`), func(string) ([]byte, error) { return []byte(overrideSO), nil })
	require.ErrorContains(t, err, `scenario.yaml:15: spec.expect[1].name: duplicate expectation name "a" (first at line 13)`)
	require.ErrorContains(t, err, "scenario.yaml:15: spec.expect[1]: min, max and noChange need during: [from, to]")
}
