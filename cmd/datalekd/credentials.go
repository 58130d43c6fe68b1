package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// secretVariables are the settings that hold a secret. Each may instead be
// read from a file named by the same variable with _FILE appended
// (DATALEK_ADMIN_TOKEN_FILE), so that a secret need not sit in the
// environment: systemd's credentials (LoadCredential=, read as %d/NAME),
// Docker and Compose secrets (/run/secrets/NAME) and Kubernetes Secrets
// mounted as files all give the service a file.
var secretVariables = []string{
	"DATALEK_ADMIN_TOKEN",
	"DATALEK_SMTP_URL",
	"DATALEK_OIDC_CLIENT_SECRET",
	"DATALEK_AUDIT_KEY",
}

// secretFiles returns getenv with every secret variable whose _FILE variable
// is set answered from that file (the trailing line break trimmed). Setting
// both a variable and its _FILE is an error, as is a file that cannot be
// read or is empty; the error names the variable, never the file's content.
func secretFiles(getenv func(string) string) (func(string) string, error) {
	values := map[string]string{}
	var errs []error
	for _, name := range secretVariables {
		file := getenv(name + "_FILE")
		if file == "" {
			continue
		}
		if getenv(name) != "" {
			errs = append(errs, fmt.Errorf("invalid %s_FILE: %s is set too; set one of them", name, name))
			continue
		}
		b, err := os.ReadFile(file)
		if err != nil {
			errs = append(errs, fmt.Errorf("invalid %s_FILE: %w", name, err))
			continue
		}
		v := strings.TrimRight(string(b), "\r\n")
		if v == "" {
			errs = append(errs, fmt.Errorf("invalid %s_FILE: %s is empty", name, file))
			continue
		}
		values[name] = v
	}
	return func(key string) string {
		if v, ok := values[key]; ok {
			return v
		}
		return getenv(key)
	}, errors.Join(errs...)
}
