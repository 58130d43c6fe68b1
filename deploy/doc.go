// Package deploy holds the files that run datalekd in production (a systemd
// unit, a Dockerfile, a compose file, Kubernetes manifests) and, in its
// tests, the checks that CI runs on them (README "## Running in
// production"). It has no code of its own.
package deploy
