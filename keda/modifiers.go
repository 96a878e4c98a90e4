package keda

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
)

// castFormula wraps the formula so it returns a float, as the webhook does
// before compiling (scaledobject_webhook.go castToFloatIfNecessary). A
// formula using "??" may evaluate to nil, which selects the fallback.
func castFormula(formula string) string {
	if strings.Contains(formula, "??") {
		if strings.HasPrefix(formula, "let _kedaCompositeResult = ") {
			return formula
		}
		return fmt.Sprintf("let _kedaCompositeResult = (%s); _kedaCompositeResult == nil ? nil : float(_kedaCompositeResult)", formula)
	}
	if strings.HasPrefix(formula, "float(") {
		return formula
	}
	return "float(" + formula + ")"
}

// compileFormula validates and compiles scalingModifiers the way
// scaledobject_webhook.go ValidateAndCompileScalingModifiers does: the
// formula is required, a target is required with it, the environment holds
// every named non-cpu/memory trigger as a float, and a trial run with every
// variable at -1 must succeed. The target must be a number above 0 and the
// metricType must not be Utilization (validateScalingModifiersTarget).
// Errors carry the field path.
func compileFormula(so *ScaledObject) (*vm.Program, []FieldError) {
	sm := so.Advanced.ScalingModifiers
	const base = "spec.advanced.scalingModifiers"
	if sm.Formula == "" {
		return nil, []FieldError{{base + ".formula", "is required when scalingModifiers is set"}}
	}
	if sm.Target == "" {
		return nil, []FieldError{{base + ".target", "is required when a formula is given"}}
	}
	env := map[string]float64{}
	for _, t := range so.Triggers {
		if isResourceTrigger(t) || t.Name == "" {
			continue
		}
		env[t.Name] = -1
	}
	prog, err := expr.Compile(castFormula(sm.Formula), expr.Env(env))
	if err != nil {
		return nil, []FieldError{{base + ".formula", "does not compile against the named triggers: " + oneLine(err)}}
	}
	if _, err := expr.Run(prog, env); err != nil {
		return nil, []FieldError{{base + ".formula", "fails when every trigger is -1: " + oneLine(err)}}
	}
	var errs []FieldError
	if n, err := strconv.ParseFloat(sm.Target, 64); err != nil || n <= 0 {
		errs = append(errs, FieldError{base + ".target", fmt.Sprintf("must be a number greater than 0, got %q", sm.Target)})
	}
	if sm.MetricType == "Utilization" {
		errs = append(errs, FieldError{base + ".metricType", "must be AverageValue or Value for the composite External metric, got \"Utilization\""})
	}
	// activationTarget is not checked: KEDA admits any text and only
	// parses it at each poll, which then fails (Loop.Poll, StateError).
	if len(errs) > 0 {
		return nil, errs
	}
	return prog, nil
}

// oneLine keeps the first line of an expr error (the rest is a caret
// diagram).
func oneLine(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

var errFormulaNil = errors.New("scalingModifiers formula evaluated to nil but no fallback is configured")

// runFormula evaluates the compiled formula over trigger values (nil for a
// trigger beyond its failure threshold under fallback behavior
// scalingModifiers) and returns the composite value
// (pkg/scaling/modifiers/formula.go calculateScalingModifiersFormula).
func runFormula(so *ScaledObject, prog *vm.Program, data map[string]any) (float64, error) {
	out, err := expr.Run(prog, data)
	if err != nil {
		return 0, fmt.Errorf("error trying to run custom formula: %s", oneLine(err))
	}
	if out == nil {
		// scalingModifiersFallbackTarget: fallback.replicas * target.
		if so.Fallback == nil {
			return 0, errFormulaNil
		}
		t, err := strconv.ParseFloat(so.Advanced.ScalingModifiers.Target, 64)
		if err != nil {
			return 0, fmt.Errorf("scalingModifiers formula evaluated to nil and target %q is not a valid float", so.Advanced.ScalingModifiers.Target)
		}
		return float64(so.Fallback.Replicas) * t, nil
	}
	f, ok := out.(float64)
	if !ok {
		return 0, fmt.Errorf("formula returned non-float result %T (%v)", out, out)
	}
	return f, nil
}
