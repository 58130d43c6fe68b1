package deploy

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"
)

// manifests decodes every document of deploy/k8s/*.yaml strictly into the
// Kubernetes API's own Go types: an unknown or misplaced field, a wrong type
// or a kind this test does not know fails. (kubeconform needs JSON schemas
// from GitHub, which neither the development machines nor CI reach.)
func manifests(t *testing.T) map[string]any {
	files, err := filepath.Glob("k8s/*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	objs := map[string]any{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for i, doc := range regexp.MustCompile(`(?m)^---\s*$`).Split(string(b), -1) {
			if len(bytes.TrimSpace(stripComments([]byte(doc)))) == 0 {
				continue
			}
			var meta struct{ APIVersion, Kind string }
			require.NoError(t, yaml.Unmarshal([]byte(doc), &meta), "%s #%d", f, i)
			var obj any
			switch meta.APIVersion + " " + meta.Kind {
			case "apps/v1 Deployment":
				obj = &appsv1.Deployment{}
			case "v1 Service":
				obj = &corev1.Service{}
			case "v1 PersistentVolumeClaim":
				obj = &corev1.PersistentVolumeClaim{}
			case "v1 Secret":
				obj = &corev1.Secret{}
			case "batch/v1 CronJob":
				obj = &batchv1.CronJob{}
			case "networking.k8s.io/v1 NetworkPolicy":
				obj = &networkingv1.NetworkPolicy{}
			default:
				t.Fatalf("%s #%d: unexpected %s %s", f, i, meta.APIVersion, meta.Kind)
			}
			require.NoError(t, yaml.UnmarshalStrict([]byte(doc), obj), "%s #%d", f, i)
			name := reflectName(obj)
			require.NotEmpty(t, name, "%s #%d has a name", f, i)
			key := meta.Kind + "/" + name
			require.NotContains(t, objs, key, "%s #%d: %s twice", f, i, key)
			objs[key] = obj
		}
	}
	return objs
}

func stripComments(b []byte) []byte {
	return regexp.MustCompile(`(?m)^\s*#.*$`).ReplaceAll(b, nil)
}

func reflectName(obj any) string {
	switch o := obj.(type) {
	case *appsv1.Deployment:
		return o.Name
	case *corev1.Service:
		return o.Name
	case *corev1.PersistentVolumeClaim:
		return o.Name
	case *corev1.Secret:
		return o.Name
	case *batchv1.CronJob:
		return o.Name
	case *networkingv1.NetworkPolicy:
		return o.Name
	}
	panic(fmt.Sprintf("%T", obj))
}

func TestKubernetesManifests(t *testing.T) {
	objs := manifests(t)
	dep, ok := objs["Deployment/datalekd"].(*appsv1.Deployment)
	require.True(t, ok, "a Deployment datalekd")
	spec := dep.Spec
	require.NotNil(t, spec.Replicas)
	assert.EqualValues(t, 1, *spec.Replicas, "one replica: bbolt allows one process")
	assert.Equal(t, appsv1.RecreateDeploymentStrategyType, spec.Strategy.Type)
	require.NotNil(t, spec.Selector)
	for k, v := range spec.Selector.MatchLabels {
		assert.Equal(t, v, spec.Template.Labels[k], "the selector matches the pod's labels")
	}
	pod := spec.Template.Spec
	checkPodSecurity(t, "the Deployment", pod)
	require.Len(t, pod.Containers, 1)
	c := pod.Containers[0]
	assert.NotEmpty(t, c.Image)
	ports := map[string]int32{}
	for _, p := range c.Ports {
		ports[p.Name] = p.ContainerPort
	}
	require.Contains(t, ports, "http")
	for probe, path := range map[*corev1.Probe]string{c.LivenessProbe: "/healthz", c.ReadinessProbe: "/readyz"} {
		require.NotNil(t, probe, path)
		require.NotNil(t, probe.HTTPGet, path)
		assert.Equal(t, path, probe.HTTPGet.Path)
		assert.Equal(t, intstr.FromString("http"), probe.HTTPGet.Port)
	}
	env := map[string]any{}
	for _, e := range c.Env {
		require.Nil(t, e.ValueFrom, "%s: secrets come as files, not variables", e.Name)
		env[e.Name] = e.Value
	}
	assert.Equal(t, "0.0.0.0:8080", env["DATALEK_ADDR"])
	assert.EqualValues(t, 8080, ports["http"])
	assert.True(t, strings.HasPrefix(env["DATALEK_BASE_URL"].(string), "https://"), "TLS in front")
	checkVariables(t, env)

	mounts := map[string]corev1.VolumeMount{}
	for _, m := range c.VolumeMounts {
		mounts[m.Name] = m
	}
	assert.Equal(t, "/data", mounts["data"].MountPath)
	assert.Equal(t, env["DATALEK_DATA_DIR"], mounts["data"].MountPath)
	assert.Equal(t, env["DATALEK_BACKUP_DIR"], mounts["backup"].MountPath)
	assert.NotEmpty(t, env["DATALEK_BACKUP_RECIPIENTS"], "scheduled backups need their recipients")
	for _, secret := range []string{"admin-token", "smtp-url"} {
		assert.Equal(t, mounts["secrets"].MountPath+"/"+secret, env["DATALEK_"+strings.ToUpper(strings.ReplaceAll(secret, "-", "_"))+"_FILE"])
	}
	checkVolumes(t, objs, "the Deployment", pod)
	data := findVolume(pod, "data")
	require.NotNil(t, data.PersistentVolumeClaim, "the data on a PersistentVolumeClaim")
	require.NotNil(t, findVolume(pod, "secrets").Secret)

	secret, ok := objs["Secret/datalekd-secrets"].(*corev1.Secret)
	require.True(t, ok, "the Secret template")
	for k, v := range secret.StringData {
		assert.Contains(t, v, "REPLACE-ME", "%s: a template, no real secret", k)
		assert.Contains(t, env, "DATALEK_"+strings.ToUpper(strings.ReplaceAll(k, "-", "_"))+"_FILE", "%s is read", k)
	}
	assert.Empty(t, secret.Data, "no encoded values")

	svc, ok := objs["Service/datalekd"].(*corev1.Service)
	require.True(t, ok, "a Service datalekd")
	for k, v := range svc.Spec.Selector {
		assert.Equal(t, v, spec.Template.Labels[k], "the Service selects the pod")
	}
	require.Len(t, svc.Spec.Ports, 1)
	assert.Equal(t, intstr.FromString("http"), svc.Spec.Ports[0].TargetPort)

	cron, ok := objs["CronJob/datalekd-backup"].(*batchv1.CronJob)
	require.True(t, ok, "a backup CronJob")
	assert.Equal(t, batchv1.ForbidConcurrent, cron.Spec.ConcurrencyPolicy)
	job := cron.Spec.JobTemplate.Spec.Template.Spec
	checkPodSecurity(t, "the CronJob", job)
	checkVolumes(t, objs, "the CronJob", job)
	assert.True(t, findVolume(job, "backup").PersistentVolumeClaim.ReadOnly, "the job only reads the backups")

	np, ok := objs["NetworkPolicy/datalekd"].(*networkingv1.NetworkPolicy)
	require.True(t, ok, "a NetworkPolicy")
	for k, v := range np.Spec.PodSelector.MatchLabels {
		assert.Equal(t, v, spec.Template.Labels[k], "the policy selects the pod")
	}
	assert.ElementsMatch(t, []networkingv1.PolicyType{networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress}, np.Spec.PolicyTypes)
	require.Len(t, np.Spec.Ingress, 1, "one way in")
	in := np.Spec.Ingress[0]
	require.Len(t, in.From, 1)
	assert.Nil(t, in.From[0].IPBlock)
	require.NotNil(t, in.From[0].NamespaceSelector, "only from the ingress controller's namespace")
	require.Len(t, in.Ports, 1)
	p := *in.Ports[0].Port
	assert.True(t, p == intstr.FromString("http") || p == intstr.FromInt32(ports["http"]), "only the HTTP port")
	egress := map[int32]bool{}
	for _, rule := range np.Spec.Egress {
		require.NotEmpty(t, rule.To, "no egress to everywhere")
		for _, port := range rule.Ports {
			egress[port.Port.IntVal] = true
		}
	}
	for _, port := range []int32{53, 587, 443} {
		assert.True(t, egress[port], "egress to port %d (DNS, SMTP, OpenID provider)", port)
	}
}

// checkPodSecurity asserts the hardening both pods share.
func checkPodSecurity(t *testing.T, what string, pod corev1.PodSpec) {
	t.Helper()
	sc := pod.SecurityContext
	require.NotNil(t, sc, what)
	require.NotNil(t, sc.RunAsNonRoot, what)
	assert.True(t, *sc.RunAsNonRoot, what)
	require.NotNil(t, sc.SeccompProfile, what)
	assert.Equal(t, corev1.SeccompProfileTypeRuntimeDefault, sc.SeccompProfile.Type, what)
	require.NotNil(t, pod.AutomountServiceAccountToken, what)
	assert.False(t, *pod.AutomountServiceAccountToken, "%s needs no API token", what)
	require.NotEmpty(t, pod.Containers, what)
	for _, c := range pod.Containers {
		csc := c.SecurityContext
		require.NotNil(t, csc, "%s: %s", what, c.Name)
		for name, flag := range map[string]*bool{"readOnlyRootFilesystem": csc.ReadOnlyRootFilesystem, "runAsNonRoot": csc.RunAsNonRoot} {
			require.NotNil(t, flag, "%s: %s: %s", what, c.Name, name)
			assert.True(t, *flag, "%s: %s: %s", what, c.Name, name)
		}
		require.NotNil(t, csc.AllowPrivilegeEscalation, "%s: %s", what, c.Name)
		assert.False(t, *csc.AllowPrivilegeEscalation, "%s: %s", what, c.Name)
		require.NotNil(t, csc.Capabilities, "%s: %s", what, c.Name)
		assert.Equal(t, []corev1.Capability{"ALL"}, csc.Capabilities.Drop, "%s: %s drops all capabilities", what, c.Name)
		assert.Empty(t, csc.Capabilities.Add, "%s: %s", what, c.Name)
		assert.False(t, c.Resources.Limits.Memory().IsZero(), "%s: %s has a memory limit", what, c.Name)
	}
}

// checkVolumes asserts that every mount names a volume and every claim and
// Secret a pod uses is among the manifests.
func checkVolumes(t *testing.T, objs map[string]any, what string, pod corev1.PodSpec) {
	t.Helper()
	for _, c := range pod.Containers {
		for _, m := range c.VolumeMounts {
			assert.NotNil(t, findVolume(pod, m.Name), "%s: %s mounts an unknown volume %s", what, c.Name, m.Name)
		}
	}
	for _, v := range pod.Volumes {
		if v.PersistentVolumeClaim != nil {
			assert.Contains(t, objs, "PersistentVolumeClaim/"+v.PersistentVolumeClaim.ClaimName, what)
		}
		if v.Secret != nil {
			assert.Contains(t, objs, "Secret/"+v.Secret.SecretName, what)
		}
	}
}

func findVolume(pod corev1.PodSpec, name string) *corev1.Volume {
	for i := range pod.Volumes {
		if pod.Volumes[i].Name == name {
			return &pod.Volumes[i]
		}
	}
	return nil
}
