package deploy

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	cmd, args string
	line      int
}

// parseDockerfile reads a Dockerfile's instructions: comments and blank lines
// dropped, lines ending in a backslash joined to the next.
func parseDockerfile(t *testing.T, path string) []instruction {
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var out []instruction
	var cur string
	start := 0
	for i, line := range strings.Split(string(b), "\n") {
		trimmed := strings.TrimSpace(line)
		if cur == "" && (trimmed == "" || strings.HasPrefix(trimmed, "#")) {
			continue
		}
		if cur == "" {
			start = i + 1
		}
		if strings.HasSuffix(trimmed, "\\") {
			cur += strings.TrimSuffix(trimmed, "\\") + " "
			continue
		}
		cur += trimmed
		cmd, args, _ := strings.Cut(cur, " ")
		out = append(out, instruction{strings.ToUpper(cmd), strings.TrimSpace(args), start})
		cur = ""
	}
	require.Empty(t, cur, "%s ends in a continuation", path)
	return out
}

// The image is built in stages, statically, and runs as a non-root user on a
// base without a shell: nothing can be RUN in the final stage.
func TestDockerfile(t *testing.T) {
	ins := parseDockerfile(t, "Dockerfile")
	var stages [][]instruction
	for _, in := range ins {
		if in.cmd == "FROM" {
			stages = append(stages, nil)
		}
		require.NotEmpty(t, stages, "line %d: %s before the first FROM", in.line, in.cmd)
		stages[len(stages)-1] = append(stages[len(stages)-1], in)
	}
	require.GreaterOrEqual(t, len(stages), 2, "a multi-stage build")

	build := stages[0]
	buildName := regexp.MustCompile(`(?i)\s+AS\s+(\S+)$`).FindStringSubmatch(build[0].args)
	require.NotNil(t, buildName, "the build stage is named: %q", build[0].args)
	var static bool
	for _, in := range build {
		if in.cmd == "RUN" && strings.Contains(in.args, "CGO_ENABLED=0") && strings.Contains(in.args, "go build") {
			static = true
		}
	}
	assert.True(t, static, "the binary is built with CGO_ENABLED=0")

	final := stages[len(stages)-1]
	base := strings.Fields(final[0].args)[0]
	assert.True(t, base == "scratch" || strings.HasPrefix(base, "gcr.io/distroless/static"),
		"the final stage is distroless/static or scratch, not %s", base)
	var user, entrypoint string
	var volume, copied bool
	for _, in := range final {
		switch in.cmd {
		case "RUN":
			t.Errorf("line %d: RUN in the final stage, which has no shell", in.line)
		case "HEALTHCHECK":
			t.Errorf("line %d: HEALTHCHECK needs a command the image does not have", in.line)
		case "USER":
			user = in.args
		case "VOLUME":
			volume = strings.Contains(in.args, `"/data"`) || in.args == "/data"
		case "ENTRYPOINT":
			entrypoint = in.args
		case "COPY":
			copied = copied || strings.Contains(in.args, "--from="+buildName[1])
		}
	}
	uid, _, _ := strings.Cut(user, ":")
	assert.NotContains(t, []string{"", "0", "root"}, uid, "USER is set, and not root")
	assert.Equal(t, "65532", uid, "the distroless nonroot user")
	assert.True(t, volume, "VOLUME /data")
	assert.True(t, copied, "the binary is copied from the build stage")
	assert.True(t, strings.HasPrefix(entrypoint, "["), "ENTRYPOINT in exec form (there is no shell): %q", entrypoint)
}

func readYAML(t *testing.T, path string) map[string]any {
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, yaml.Unmarshal(b, &m), path)
	return m
}

// get walks a parsed YAML document by keys.
func get(t *testing.T, m map[string]any, keys ...string) any {
	var v any = m
	for i, k := range keys {
		mm, ok := v.(map[string]any)
		require.True(t, ok, "%s is not a mapping", strings.Join(keys[:i], "."))
		v, ok = mm[k]
		require.True(t, ok, "%s is missing", strings.Join(keys[:i+1], "."))
	}
	return v
}

// The compose file runs the service hardened, with its secrets as files and
// its data on a named volume, beside a real SMTP relay.
func TestCompose(t *testing.T) {
	c := readYAML(t, "compose.yaml")
	svc := get(t, c, "services", "datalekd").(map[string]any)
	assert.Equal(t, "deploy/Dockerfile", get(t, svc, "build", "dockerfile"))
	assert.Equal(t, "65532:65532", get(t, svc, "user"))
	assert.Equal(t, true, get(t, svc, "read_only"))
	assert.Equal(t, []any{"ALL"}, get(t, svc, "cap_drop"))
	assert.Contains(t, get(t, svc, "security_opt"), "no-new-privileges:true")
	for _, p := range get(t, svc, "ports").([]any) {
		assert.True(t, strings.HasPrefix(p.(string), "127.0.0.1:"), "only the proxy on the host reaches the service: %v", p)
	}

	env := get(t, svc, "environment").(map[string]any)
	assert.Equal(t, "/data", env["DATALEK_DATA_DIR"])
	assert.Contains(t, get(t, svc, "volumes"), "data:/data")
	assert.Contains(t, get(t, c, "volumes"), "data", "a named volume")
	assert.True(t, strings.HasPrefix(env["DATALEK_BASE_URL"].(string), "https://"), "TLS in front")
	secrets := get(t, svc, "secrets").([]any)
	for _, name := range []string{"admin-token", "smtp-url"} {
		assert.Contains(t, secrets, name)
		assert.NotEmpty(t, get(t, c, "secrets", name, "file"))
	}
	assert.Equal(t, "/run/secrets/admin-token", env["DATALEK_ADMIN_TOKEN_FILE"])
	assert.Equal(t, "/run/secrets/smtp-url", env["DATALEK_SMTP_URL_FILE"])
	for _, secret := range []string{"DATALEK_ADMIN_TOKEN", "DATALEK_SMTP_URL", "DATALEK_OIDC_CLIENT_SECRET"} {
		assert.NotContains(t, env, secret, "a secret comes from a file, never the environment")
	}
	checkVariables(t, env)

	relay := get(t, c, "services", "relay").(map[string]any)
	assert.Contains(t, get(t, relay, "image"), "postfix", "a real SMTP relay")
	assert.Contains(t, get(t, svc, "depends_on"), "relay")
}

// checkVariables fails on a DATALEK_* variable the service does not read: a
// misspelt setting would be ignored without a word.
func checkVariables(t *testing.T, env map[string]any) {
	t.Helper()
	var src strings.Builder
	files, err := filepath.Glob("../cmd/datalekd/*.go")
	require.NoError(t, err)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") { // a name only a test uses is no setting
			continue
		}
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		src.Write(b)
	}
	secrets, err := os.ReadFile("../cmd/datalekd/credentials.go") // secretVariables: the only ones read from a _FILE
	require.NoError(t, err)
	for name := range env {
		base, file := strings.CutSuffix(name, "_FILE")
		if file {
			assert.Contains(t, string(secrets), `"`+base+`"`, "%s: %s is no secret that may come from a file", name, base)
		}
		assert.Contains(t, src.String(), `"`+base+`"`, "%s is not a setting of cmd/datalekd", name)
	}
}
