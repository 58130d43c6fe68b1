package main

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The dependency rule of ARCHITECTURE.md: breach uses the standard library
// only; breach/nl, the Dutch presentation, uses breach and the standard
// library only, and breach never uses it; each adapter uses breach (notify
// and api also breach/nl) and its own library, never another adapter or
// another adapter's library; only cmd/datalekd wires them together.
var dependencyRule = map[string]struct {
	internal  []string // module packages it may depend on
	forbidden []string // third-party module prefixes it must not depend on
	stdOnly   bool     // no third-party module at all
}{
	"datalek/breach":    {stdOnly: true},
	"datalek/breach/nl": {internal: []string{"datalek/breach"}, stdOnly: true},
	"datalek/store":     {internal: []string{"datalek/breach"}, forbidden: []string{"github.com/labstack/", "github.com/wneessen/", "github.com/robfig/"}},
	"datalek/notify":    {internal: []string{"datalek/breach", "datalek/breach/nl"}, forbidden: []string{"github.com/labstack/", "go.etcd.io/bbolt", "github.com/robfig/"}},
	"datalek/api":       {internal: []string{"datalek/breach", "datalek/breach/nl"}, forbidden: []string{"go.etcd.io/bbolt", "github.com/wneessen/", "github.com/robfig/"}},
}

func TestDependencyRule(t *testing.T) {
	for pkg, rule := range dependencyRule {
		t.Run(pkg, func(t *testing.T) {
			out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", pkg).CombinedOutput()
			if strings.Contains(string(out), "no Go files") || strings.Contains(string(out), "is not in std") {
				t.Skipf("%s has no code yet", pkg)
			}
			require.NoError(t, err, "%s", out)
			for _, dep := range strings.Fields(string(out)) {
				if dep == pkg {
					continue
				}
				if strings.HasPrefix(dep, "datalek/") {
					assert.Contains(t, rule.internal, dep, "%s must not depend on %s", pkg, dep)
					continue
				}
				if rule.stdOnly {
					assert.Fail(t, pkg+" imports beyond the standard library", dep)
					continue
				}
				for _, f := range rule.forbidden {
					assert.False(t, strings.HasPrefix(dep, f), "%s must not depend on %s", pkg, dep)
				}
			}
		})
	}
}
