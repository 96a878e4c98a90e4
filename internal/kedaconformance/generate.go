package kedaconformance

import (
	"fmt"
	"math/rand"
)

// Generate draws a random case for a KEDA version from seed: trigger
// metadata that is often unusual (number syntax, booleans, header lists)
// and answers of every shape a Prometheus server may give.
func Generate(seed int64, version string) Case {
	r := rand.New(rand.NewSource(seed))
	pick := func(xs ...string) string { return xs[r.Intn(len(xs))] }
	p := func(x float64) bool { return r.Float64() < x }
	c := Case{Seed: seed, Version: version, Metadata: map[string]string{"query": "sum(rate(http_requests_total[1m]))"}}
	md := c.Metadata
	md["threshold"] = pick("10", "10", "10", "10", "50", "0.5", "2.5", "1e3", "100", "0.0005", "0.0015", "7.0005", " 7 ", "123456789012345678", "1e20", "abc", "", "-1", "0", "1_000", "0x10")
	if p(0.5) {
		md["activationThreshold"] = pick("0", "1", "5.5", "-1", "1e2", "x", "")
	}
	if p(0.4) {
		md["ignoreNullValues"] = pick("true", "false", "False", "0", "1", "no", "")
	}
	if p(0.25) {
		md["customHeaders"] = pick("X-Scope-OrgID=tenant", "X-A=b,X-B=c", "bad name=v", "X-A=b\x7f", "a=b=c", "X-A=", "=v", "X-A=b,,X-B=c")
	}
	if p(0.15) {
		md["queryParameters"] = pick("dedup=false", "a=b,c=d", "broken")
	}
	if p(0.1) {
		md["namespace"] = "team-a"
	}
	if p(0.1) {
		md["unsafeSsl"] = pick("true", "false", "maybe")
	}
	if p(0.1) {
		md["timeout"] = pick("5s", "1500", "-1", "soon")
	}
	if p(0.3) {
		c.MetricType = pick("AverageValue", "Value", "Value", "Utilization")
	}
	n := 1 + r.Intn(4)
	for i := 0; i < n; i++ {
		c.Answers = append(c.Answers, answer(r, pick, p))
	}
	return c
}

func answer(r *rand.Rand, pick func(...string) string, p func(float64) bool) Answer {
	value := func() string {
		return pick("1", "0", "2.5", "12", "NaN", "+Inf", "-Inf", "-3", "-0.0004", "1e300", "9223372036854775.807", "9223372036854776", "123.4565", "0.0005", "0.0015", "1e-9", "abc", "42")
	}
	series := func(v string) string {
		return fmt.Sprintf(`{"metric":{"job":"web"},"value":[1767603600.5,"%s"]}`, v)
	}
	vector := func(result string) Answer {
		return Answer{Status: 200, Body: `{"status":"success","data":{"resultType":"vector","result":[` + result + `]}}`}
	}
	switch k := r.Intn(100); {
	case k < 50:
		return vector(series(value()))
	case k < 54:
		return vector(`{"metric":{},"value":[1767603600.5,null]}`)
	case k < 57:
		return vector(`{"metric":{},"value":[1767603600.5]}`)
	case k < 60:
		return vector(`{"metric":{},"value":[]}`)
	case k < 65:
		return vector(series(value()) + "," + series(value()))
	case k < 72:
		return vector("")
	case k < 76:
		return Answer{Status: 200, Body: `{"status":"success","data":{"resultType":"scalar","result":[1767603600.5,"5"]}}`}
	case k < 80:
		return Answer{Status: 200, Body: `{"status":"success","data":{"resultType":"string","result":[1767603600.5,"five"]}}`}
	case k < 90:
		var ss []string
		for j := r.Intn(3); j > 0; j-- {
			ss = append(ss, `{"metric":{"job":"web"},"values":[[1767603540,"1"],[1767603600,"2"]]}`)
		}
		body := `{"status":"success","data":{"resultType":"matrix","result":[`
		for j, s := range ss {
			if j > 0 {
				body += ","
			}
			body += s
		}
		return Answer{Status: 200, Body: body + `]}}`}
	case k < 95:
		return Answer{Status: []int{500, 503, 404, 400}[r.Intn(4)], Body: `{"status":"error","errorType":"bad_data","error":"parse error"}`}
	default:
		if p(0.5) {
			return Answer{Status: 200, Body: "<html>proxy</html>"}
		}
		// A 204 carries no body.
		return Answer{Status: 204, Body: ""}
	}
}
