package hpa

import "testing"

// TestKubernetesVersion: the version printed by `autoscale-sim version` is
// the one whose defaults DefaultConfig holds.
func TestKubernetesVersion(t *testing.T) {
	c, err := ConfigForKubernetesVersion(KubernetesVersion)
	if err != nil {
		t.Fatal(err)
	}
	if c != DefaultConfig() {
		t.Fatalf("DefaultConfig() = %+v, the configuration of %s is %+v", DefaultConfig(), KubernetesVersion, c)
	}
}
