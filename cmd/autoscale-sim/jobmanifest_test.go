package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// decodeManifests decodes every document of a manifest file strictly into
// the Kubernetes API type of its kind.
func decodeManifests(t *testing.T, path string) (cms []corev1.ConfigMap, pvcs []corev1.PersistentVolumeClaim, jobs []batchv1.Job) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	for _, doc := range regexp.MustCompile(`(?m)^---\s*$`).Split(string(b), -1) {
		var meta struct{ APIVersion, Kind string }
		require.NoError(t, yaml.Unmarshal([]byte(doc), &meta))
		switch meta.APIVersion + " " + meta.Kind {
		case "v1 ConfigMap":
			var cm corev1.ConfigMap
			require.NoError(t, yaml.UnmarshalStrict([]byte(doc), &cm))
			cms = append(cms, cm)
		case "v1 PersistentVolumeClaim":
			var pvc corev1.PersistentVolumeClaim
			require.NoError(t, yaml.UnmarshalStrict([]byte(doc), &pvc))
			pvcs = append(pvcs, pvc)
		case "batch/v1 Job":
			var job batchv1.Job
			require.NoError(t, yaml.UnmarshalStrict([]byte(doc), &job))
			jobs = append(jobs, job)
		default:
			t.Fatalf("%s: unexpected %s %s", path, meta.APIVersion, meta.Kind)
		}
	}
	return cms, pvcs, jobs
}

// TestIndexedJobManifest validates deploy/sweep-job.yaml and
// deploy/merge-job.yaml against the Kubernetes API types (batch/v1 Job,
// core/v1 ConfigMap and PersistentVolumeClaim, strictly: no unknown
// field), checks that the shard count agrees everywhere, then plays the
// Job: each index's args, with JOB_COMPLETION_INDEX expanded as the
// kubelet does and the volumes mapped to directories, run through the
// CLI, and the merge Job's args give the unsharded sweep's output.
func TestIndexedJobManifest(t *testing.T) {
	cms, pvcs, jobs := decodeManifests(t, "../../deploy/sweep-job.yaml")
	_, _, merges := decodeManifests(t, "../../deploy/merge-job.yaml")
	require.Len(t, cms, 1)
	require.Len(t, pvcs, 1)
	require.Len(t, jobs, 1)
	require.Len(t, merges, 1)
	job, merge := jobs[0], merges[0]
	require.NotNil(t, job.Spec.CompletionMode)
	require.Equal(t, batchv1.IndexedCompletion, *job.Spec.CompletionMode)
	n := int(*job.Spec.Completions)
	require.Equal(t, int32(n), *job.Spec.Parallelism)
	c := job.Spec.Template.Spec.Containers[0]
	require.Equal(t, corev1.RestartPolicyNever, job.Spec.Template.Spec.RestartPolicy)
	require.Contains(t, c.Args, "$(JOB_COMPLETION_INDEX)/"+strconv.Itoa(n), "--shard K/N with N = completions")

	// The volumes: the ConfigMap holds the scenario and its manifest, the
	// claim the shards, in both Jobs.
	dir := t.TempDir()
	mounts := map[string]string{}
	for _, v := range job.Spec.Template.Spec.Volumes {
		switch {
		case v.ConfigMap != nil:
			require.Equal(t, cms[0].Name, v.ConfigMap.Name)
			mounts[v.Name] = filepath.Join(dir, "scenario")
			require.NoError(t, os.MkdirAll(mounts[v.Name], 0o755))
			for name, data := range cms[0].Data {
				require.NoError(t, os.WriteFile(filepath.Join(mounts[v.Name], name), []byte(data), 0o644))
			}
		case v.PersistentVolumeClaim != nil:
			require.Equal(t, pvcs[0].Name, v.PersistentVolumeClaim.ClaimName)
			mounts[v.Name] = filepath.Join(dir, "shards")
			require.NoError(t, os.MkdirAll(mounts[v.Name], 0o755))
		}
	}
	require.Len(t, mounts, 2)
	local := func(c corev1.Container, arg string) string {
		for _, m := range c.VolumeMounts {
			if rest, ok := strings.CutPrefix(arg, m.MountPath+"/"); ok {
				return filepath.Join(mounts[m.Name], rest)
			}
		}
		return arg
	}
	for k := range n {
		var args []string
		for _, a := range c.Args {
			args = append(args, local(c, strings.ReplaceAll(a, "$(JOB_COMPLETION_INDEX)", strconv.Itoa(k))))
		}
		code, _, stderr := runCLI(t, args...)
		require.Equal(t, exitOK, code, stderr)
	}
	mc := merge.Spec.Template.Spec.Containers[0]
	require.Equal(t, pvcs[0].Name, merge.Spec.Template.Spec.Volumes[0].PersistentVolumeClaim.ClaimName)
	var margs []string
	shards := 0
	for _, a := range mc.Args {
		if strings.HasSuffix(a, ".json") {
			shards++
		}
		margs = append(margs, local(mc, a))
	}
	require.Equal(t, n, shards, "the merge Job lists every shard")
	code, merged, stderr := runCLI(t, margs...)
	require.Equal(t, exitOK, code, stderr)

	// The same sweep on one machine.
	var whole []string
	for i := 0; i < len(c.Args); i++ {
		if c.Args[i] == "--shard" || c.Args[i] == "--shard-out" {
			i++
			continue
		}
		whole = append(whole, local(c, c.Args[i]))
	}
	code, want, stderr := runCLI(t, whole...)
	require.Equal(t, exitOK, code, stderr)
	cut := func(s string) string { return s[:strings.Index(s, "wrote ")] }
	require.Equal(t, want, cut(merged))
	require.Equal(t, 25, strings.Count(want, "\n"), "a header and 24 combinations")
}
