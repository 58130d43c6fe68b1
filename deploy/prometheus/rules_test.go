// Package prometheus holds the Prometheus alert rules for datalekd; its test
// checks them, and the Grafana dashboard in ../grafana, against the metrics
// the service exposes.
package prometheus

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

// ruleFile is Prometheus' rule file format, as far as alerts use it.
type ruleFile struct {
	Groups []struct {
		Name  string `json:"name"`
		Rules []struct {
			Alert       string            `json:"alert"`
			Record      string            `json:"record"`
			Expr        string            `json:"expr"`
			For         string            `json:"for"`
			Labels      map[string]string `json:"labels"`
			Annotations map[string]string `json:"annotations"`
		} `json:"rules"`
	} `json:"groups"`
}

// exposed are the metric names the service registers, read from its
// sources (api/metrics.go, cmd/datalekd/metrics.go), so that a rule or a
// panel naming a metric that does not exist fails here.
func exposed(t *testing.T) map[string]bool {
	names := map[string]bool{}
	for _, path := range []string{"../../api/metrics.go", "../../cmd/datalekd/metrics.go"} {
		src, err := os.ReadFile(path)
		require.NoError(t, err)
		for _, m := range regexp.MustCompile(`"(datalek_[a-z_]+)"`).FindAllStringSubmatch(string(src), -1) {
			names[m[1]] = true
		}
	}
	require.Contains(t, names, "datalek_outbox_pending")
	return names
}

// metricsIn lists the datalek_ metrics an expression names, without a
// histogram's series suffix.
func metricsIn(expr string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`datalek_[a-z_]+`).FindAllString(expr, -1) {
		for _, suffix := range []string{"_bucket", "_count", "_sum"} {
			if strings.HasSuffix(m, "_seconds"+suffix) {
				m = strings.TrimSuffix(m, suffix)
			}
		}
		out = append(out, m)
	}
	return out
}

// balanced reports whether brackets, braces and parentheses pair up.
func balanced(expr string) bool {
	var stack []rune
	pairs := map[rune]rune{')': '(', ']': '[', '}': '{'}
	inString := false
	for _, r := range expr {
		switch {
		case r == '"':
			inString = !inString
		case inString:
		case r == '(' || r == '[' || r == '{':
			stack = append(stack, r)
		case pairs[r] != 0:
			if len(stack) == 0 || stack[len(stack)-1] != pairs[r] {
				return false
			}
			stack = stack[:len(stack)-1]
		}
	}
	return len(stack) == 0 && !inString
}

func TestAlertRules(t *testing.T) {
	data, err := os.ReadFile("alerts.yml")
	require.NoError(t, err)
	var f ruleFile
	require.NoError(t, yaml.UnmarshalStrict(data, &f), "a misspelt key is an error, as Prometheus makes it")
	require.NotEmpty(t, f.Groups)
	names, seen := exposed(t), map[string]bool{}
	for _, g := range f.Groups {
		require.NotEmpty(t, g.Name)
		for _, r := range g.Rules {
			assert.NotEmpty(t, r.Alert, "every rule is an alert: %q", r.Expr)
			assert.False(t, seen[r.Alert], "%s twice", r.Alert)
			seen[r.Alert] = true
			assert.NotEmpty(t, r.Expr, r.Alert)
			assert.True(t, balanced(r.Expr), "%s: brackets do not pair up: %s", r.Alert, r.Expr)
			if r.For != "" {
				_, err := time.ParseDuration(r.For)
				assert.NoError(t, err, "%s: for", r.Alert)
			}
			assert.Contains(t, []string{"critical", "warning"}, r.Labels["severity"], r.Alert)
			assert.NotEmpty(t, r.Annotations["summary"], r.Alert)
			for _, m := range metricsIn(r.Expr) {
				assert.True(t, names[m], "%s names %s, which the service does not expose", r.Alert, m)
			}
		}
	}
	for _, want := range []string{"DatalekMailStuck", "DatalekDeadlineMissed", "DatalekNotReady", "DatalekDown"} {
		assert.True(t, seen[want], "no rule %s", want)
	}
}

func TestGrafanaDashboard(t *testing.T) {
	data, err := os.ReadFile("../grafana/datalek.json")
	require.NoError(t, err)
	var d struct {
		Title  string `json:"title"`
		UID    string `json:"uid"`
		Panels []struct {
			Type    string `json:"type"`
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	require.NoError(t, json.Unmarshal(data, &d))
	assert.NotEmpty(t, d.Title)
	assert.NotEmpty(t, d.UID)
	names, shown := exposed(t), map[string]bool{}
	for _, p := range d.Panels {
		if p.Type == "row" {
			continue
		}
		assert.NotEmpty(t, p.Targets, p.Title)
		for _, target := range p.Targets {
			assert.True(t, balanced(target.Expr), "%s: %s", p.Title, target.Expr)
			for _, m := range metricsIn(target.Expr) {
				assert.True(t, names[m], "panel %q names %s, which the service does not expose", p.Title, m)
				shown[m] = true
			}
		}
	}
	for m := range names {
		assert.True(t, shown[m], "no panel shows %s", m)
	}
}
