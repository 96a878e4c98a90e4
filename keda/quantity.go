package keda

import (
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
)

// metricToMilli turns a metric value (or a trigger threshold) into the
// milli-units the HPA reads with Quantity.MilliValue.
//
// Mirrors pkg/scalers/scaler.go GenerateMetricInMili and
// GetMetricTargetMili: from v2.20.0 the value goes through
// resource.MustParse(fmt.Sprintf("%.3f", v)), which rounds to the nearest
// thousandth; NaN and Inf become 0, and from v2.20.2 negative values become
// 0 as well. Before v2.20.0 it was int64(v*1000), a truncation toward zero
// (NaN there converts to math.MinInt64 on amd64, which we reproduce).
// Values beyond the int64 milli range are what the HPA really reads: the
// quantity crosses the external metrics API as its canonical string and
// the HPA's MilliValue of the parsed value wraps (a garbage number, not a
// saturated one).
func metricToMilli(f features, v float64) int64 {
	if !f.roundedMilli {
		return truncMilli(v * 1000)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	if v < 0 && f.negativeAsZero {
		return 0
	}
	// %.3f rounds the exact binary value correctly, as upstream does before
	// parsing the string back. With exactly three decimals, the milli
	// value is the digits without the point.
	var buf [32]byte
	digits := strconv.AppendFloat(buf[:0], v, 'f', 3, 64)
	if m, ok := decimalDigitsFit(digits); ok {
		return m
	}
	return wireMilliValue(string(digits))
}

// targetPositive reports whether the quantity KEDA writes for v as an HPA
// target is positive, the API server's test (validateMetricTarget,
// Quantity.Sign). The quantity's own value counts, not its MilliValue,
// which wraps for huge values.
func targetPositive(f features, v float64) bool {
	if !f.roundedMilli {
		return truncMilli(v*1000) > 0
	}
	if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
		return false
	}
	var buf [32]byte
	for _, c := range strconv.AppendFloat(buf[:0], v, 'f', 3, 64) {
		if c >= '1' && c <= '9' {
			return true
		}
	}
	return false
}

// wireMilliValue is the MilliValue the HPA gets for a quantity KEDA wrote
// from s: parsed (resource.MustParse), sent as JSON, parsed again by the
// HPA's client.
func wireMilliValue(s string) int64 {
	q, err := resource.ParseQuantity(s)
	if err != nil {
		return 0
	}
	b, err := q.MarshalJSON()
	if err != nil {
		return 0
	}
	var back resource.Quantity
	if err := back.UnmarshalJSON(b); err != nil {
		return 0
	}
	return back.MilliValue()
}

// decimalDigitsFit is decimalDigits when the digits fit an int64.
func decimalDigitsFit(b []byte) (int64, bool) {
	v := decimalDigits(b)
	if v == math.MaxInt64 || v == math.MinInt64 {
		// Possibly saturated: only exact when spelled out.
		return v, string(b) == "9223372036854775.807" || string(b) == "-9223372036854775.808"
	}
	return v, true
}

// decimalDigits reads a formatted number ("-12.345") as the integer its
// digits spell ("-12345"), saturating beyond the int64 range as ratToInt64
// does.
func decimalDigits(b []byte) int64 {
	neg := len(b) > 0 && b[0] == '-'
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			continue
		}
		if n > (math.MaxUint64-9)/10 {
			n = math.MaxUint64
			break
		}
		n = n*10 + uint64(c-'0')
	}
	switch {
	case neg && n >= 1<<63:
		return math.MinInt64
	case neg:
		return -int64(n)
	case n > math.MaxInt64:
		return math.MaxInt64
	}
	return int64(n)
}

// truncMilli is Go's float64 to int64 conversion as it behaves on amd64:
// out-of-range values and NaN give math.MinInt64.
func truncMilli(x float64) int64 {
	if math.IsNaN(x) || x >= math.MaxInt64 || x < math.MinInt64 {
		return math.MinInt64
	}
	return int64(x)
}

// milliTrunc is resource.NewMilliQuantity(int64(x*1000)), the conversion
// fallback (pkg/fallback/fallback.go doFallback), the scalingModifiers
// formula (pkg/scaling/modifiers/formula.go calculateScalingModifiersFormula)
// and the composite target (controllers/keda/hpa.go) use in every version.
func milliTrunc(x float64) int64 { return truncMilli(x * 1000) }

func ratToInt64(r *big.Rat) int64 {
	n := new(big.Int).Quo(r.Num(), r.Denom())
	if !n.IsInt64() {
		if n.Sign() > 0 {
			return math.MaxInt64
		}
		return math.MinInt64
	}
	return n.Int64()
}

// milliToFloat is Quantity.AsApproximateFloat64 of a milli quantity, the
// conversion of formula inputs, fallback targets and the composite value
// upstream: the value times math.Pow(10, -3), which is not m/1000 (the
// two differ in the last bit for about one value in eight, enough to move
// a truncated milli result by one).
func milliToFloat(m int64) float64 {
	q := resource.NewMilliQuantity(m, resource.DecimalSI)
	return q.AsApproximateFloat64()
}

var quantityRE = regexp.MustCompile(`^([+-]?[0-9]*\.?[0-9]*)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$`)

var quantitySuffix = map[string]*big.Rat{
	"": big.NewRat(1, 1), "n": big.NewRat(1, 1e9), "u": big.NewRat(1, 1e6), "m": big.NewRat(1, 1e3),
	"k": big.NewRat(1e3, 1), "M": big.NewRat(1e6, 1), "G": big.NewRat(1e9, 1), "T": big.NewRat(1e12, 1),
	"P": big.NewRat(1e15, 1), "E": big.NewRat(1e18, 1),
	"Ki": big.NewRat(1<<10, 1), "Mi": big.NewRat(1<<20, 1), "Gi": big.NewRat(1<<30, 1), "Ti": big.NewRat(1<<40, 1),
	"Pi": big.NewRat(1<<50, 1), "Ei": big.NewRat(1<<60, 1),
}

// parseQuantityMilli parses a Kubernetes quantity ("500m", "1Gi", "2e3")
// and returns ceil(q*1000), what Quantity.MilliValue returns
// (k8s.io/apimachinery/pkg/api/resource ParseQuantity).
func parseQuantityMilli(s string) (int64, error) {
	m := quantityRE.FindStringSubmatch(s)
	if m == nil || m[1] == "" || m[1] == "+" || m[1] == "-" || m[1] == "." || strings.HasSuffix(m[1], "-.") || strings.HasSuffix(m[1], "+.") {
		return 0, fmt.Errorf("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
	}
	num := m[1]
	if strings.HasSuffix(num, ".") {
		num += "0"
	}
	if strings.HasPrefix(num, ".") || strings.HasPrefix(num, "+.") || strings.HasPrefix(num, "-.") {
		num = strings.Replace(num, ".", "0.", 1)
	}
	r, ok := new(big.Rat).SetString(num)
	if !ok {
		return 0, fmt.Errorf("unable to parse quantity's number %q", m[1])
	}
	suffix := m[2]
	if mult, ok := quantitySuffix[suffix]; ok {
		r.Mul(r, mult)
	} else {
		exp, err := strconv.Atoi(suffix[1:])
		if err != nil || exp > 30 || exp < -30 {
			return 0, fmt.Errorf("unable to parse quantity's exponent %q", suffix)
		}
		p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(exp))), nil)
		if exp >= 0 {
			r.Mul(r, new(big.Rat).SetInt(p))
		} else {
			r.Quo(r, new(big.Rat).SetInt(p))
		}
	}
	r.Mul(r, big.NewRat(1000, 1))
	// Ceiling, as MilliValue rounds up.
	q, rem := new(big.Int).QuoRem(r.Num(), r.Denom(), new(big.Int))
	if rem.Sign() > 0 {
		q.Add(q, big.NewInt(1))
	}
	if !q.IsInt64() {
		return 0, fmt.Errorf("quantity %q is too large", s)
	}
	return q.Int64(), nil
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

// jsonNumberRE is the JSON number grammar. KEDA's typed metadata parser
// reads float fields with json.Unmarshal
// (pkg/scalers/scalersconfig/typed_config.go setConfigValueHelper), so
// "1e3" and "-2.5" are numbers but ".5", "+1", "0x10" and "NaN" are not.
var jsonNumberRE = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

func parseJSONFloat(s string) (float64, error) {
	if !jsonNumberRE.MatchString(s) {
		return 0, fmt.Errorf("not a JSON number")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("out of range")
	}
	return v, nil
}
