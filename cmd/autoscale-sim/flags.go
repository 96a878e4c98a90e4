package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/autoscale-sim/autoscale-sim/scenarios"
)

// addManifestsFlag is -f, --filename: manifests as kubectl apply -f reads
// them, repeatable.
func addManifestsFlag(cmd *cobra.Command, to *[]string, what string) {
	cmd.Flags().StringArrayVarP(to, "filename", "f", nil, what+": a file, a directory, a glob, or - for standard input (repeatable)")
	_ = cmd.MarkFlagFilename("filename", "yaml", "yml", "json")
}

// durationValue is a flag holding a duration in Prometheus' notation
// (1m15s, 1h30m, 1d), the notation of scenario files.
type durationValue struct {
	d   *time.Duration
	set bool
}

func (v *durationValue) String() string {
	if v.d == nil || !v.set {
		return ""
	}
	return v.d.String()
}

func (v *durationValue) Set(s string) error {
	d, err := scenarios.ParseDuration(s)
	if err != nil {
		// pflag names the value already.
		return errors.New(strings.Replace(err.Error(), fmt.Sprintf(", got %q", s), "", 1))
	}
	*v.d, v.set = d, true
	return nil
}

func (v *durationValue) Type() string { return "duration" }

// outputFlag is -o, --output FORMAT with the formats a command writes.
type outputFlag struct {
	format  string
	allowed []string
}

func addOutputFlag(cmd *cobra.Command, o *outputFlag, allowed ...string) {
	o.allowed = append([]string{"text", "json", "yaml"}, allowed...)
	cmd.Flags().StringVarP(&o.format, "output", "o", "text", "output format: "+strings.Join(o.allowed, ", "))
	_ = cmd.RegisterFlagCompletionFunc("output", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return o.allowed, cobra.ShellCompDirectiveNoFileComp
	})
}

// check refuses a format the command does not write.
func (o *outputFlag) check() error {
	if !slices.Contains(o.allowed, o.format) {
		return usageError{fmt.Sprintf("--output %q: want one of %s", o.format, strings.Join(o.allowed, ", "))}
	}
	return nil
}

func (o *outputFlag) text() bool { return o.format == "text" }
