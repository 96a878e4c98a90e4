package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/autoscale-sim/autoscale-sim/hpa"
	"github.com/autoscale-sim/autoscale-sim/keda"
	"github.com/autoscale-sim/autoscale-sim/output"
)

// versionInfo is what `version` prints: the module version of the build
// (from its build info: a tag for go install ...@v1.2.3, "(devel)" for a
// build from a work tree), the Go release and the modelled releases.
func versionInfo() output.Version {
	v := output.Version{TypeMeta: output.Meta(output.KindVersion), Version: moduleVersion(),
		GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH,
		Kubernetes: hpa.KubernetesVersion, KEDA: keda.DefaultVersion, KEDAVersions: keda.SupportedVersions()}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.GoVersion != "" {
		v.GoVersion = bi.GoVersion
	}
	return v
}

// moduleVersion is the version of the main module in the build info.
func moduleVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

func versionText() string {
	v := versionInfo()
	return fmt.Sprintf("autoscale-sim %s\n  go:          %s %s\n  kubernetes:  %s (HPA controller of kube-controller-manager; spec.versions.kubernetes 1.23 and later)\n  keda:        %s (spec.versions.keda: %s)\n",
		v.Version, v.GoVersion, v.Platform, v.Kubernetes, v.KEDA, strings.Join(v.KEDAVersions, ", "))
}

func newVersionCommand(e *env) *cobra.Command {
	var o outputFlag
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version, the Go release and the modelled Kubernetes and KEDA releases",
		Example: `  autoscale-sim version
  autoscale-sim --version
  autoscale-sim version -o json`,
		Args: exactArgs(0, "version takes no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.check(); err != nil {
				return err
			}
			if o.text() {
				_, err := fmt.Fprint(e.stdout, versionText())
				return err
			}
			return output.Write(e.stdout, o.format, versionInfo())
		},
	}
	addOutputFlag(cmd, &o)
	return cmd
}

// formatFloat writes a number in its shortest form, whole numbers without
// a fraction.
func formatFloat(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// seconds converts a number of seconds.
func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
