package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"datalek/breach/breachtest"
)

// loadOrganisation is the organisation of the supplier token the load
// generator creates; its reports are easy to find (and remove) afterwards.
const loadOrganisation = "Loadtest BV"

// reportBody is the JSON of report i: the API.md example (breachtest), with a
// title that names the phase and index. Every body has the same size.
func reportBody(now time.Time, phase string, i int) ([]byte, error) {
	f := breachtest.ExampleFiling(now)
	f.Title = fmt.Sprintf("Brieven naar verkeerd adres verstuurd (%.4s %09d)", phase+"    ", i)
	return json.Marshal(f)
}

// newClient is the one HTTP client of a run: keep-alive connections for
// every worker, so that the measurement is not of TCP set-up.
func newClient(c int) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 2 * c
	t.MaxIdleConnsPerHost = c
	return &http.Client{Transport: t, Timeout: time.Minute}
}

// supplierToken creates a supplier token for org with the admin token and
// returns its secret.
func supplierToken(ctx context.Context, client *http.Client, baseURL, adminToken, org string) (string, error) {
	body, _ := json.Marshal(map[string]string{"role": "supplier", "organisation": org,
		"name": "load-" + time.Now().UTC().Format("20060102T150405.000000Z")})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, baseURL+"/api/v1/tokens", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("create supplier token: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", fmt.Errorf("create supplier token: %w", err)
	}
	if resp.StatusCode != http.StatusCreated {
		return "", fmt.Errorf("create supplier token: %s: %s", resp.Status, strings.TrimSpace(string(data)))
	}
	var created struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal(data, &created); err != nil || created.Token == "" {
		return "", fmt.Errorf("create supplier token: no token in the response (%v)", err)
	}
	return created.Token, nil
}

// runIntake files cfg.N reports (after cfg.Warmup uncounted ones) with cfg.C
// concurrent clients against the service at cfg.URL and measures the rate
// and latency of the 201 answers.
func runIntake(ctx context.Context, cfg config) (result, error) {
	if err := cfg.check(); err != nil {
		return result{}, err
	}
	baseURL := strings.TrimRight(cfg.URL, "/")
	client := newClient(cfg.C)
	defer client.CloseIdleConnections()

	token := cfg.Token
	if token == "" {
		if cfg.AdminToken == "" {
			return result{}, errors.New("give a supplier token (-token) or an admin token (-admin-token or DATALEK_ADMIN_TOKEN)")
		}
		var err error
		if token, err = supplierToken(ctx, client, baseURL, cfg.AdminToken, loadOrganisation); err != nil {
			return result{}, err
		}
		cfg.logf("intake: created a supplier token for %q", loadOrganisation)
	}

	now := time.Now()
	sample, err := reportBody(now, "load", 0)
	if err != nil {
		return result{}, err
	}
	file := func(phase string) op {
		return func(ctx context.Context, i int) (time.Duration, string) {
			body, err := reportBody(now, phase, i)
			if err != nil {
				return -1, "marshal"
			}
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, baseURL+"/api/v1/breaches", bytes.NewReader(body))
			if err != nil {
				return -1, "request"
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+token)
			t0 := time.Now()
			resp, err := client.Do(req)
			if err != nil {
				return -1, "transport"
			}
			_, err = io.Copy(io.Discard, resp.Body) // read it all, so the connection is reused
			resp.Body.Close()
			lat := time.Since(t0)
			switch {
			case resp.StatusCode != http.StatusCreated:
				return lat, strconv.Itoa(resp.StatusCode)
			case err != nil:
				return lat, "transport"
			}
			return lat, ""
		}
	}

	cfg.logf("intake: %d reports (+%d warm-up) of %d bytes with %d clients against %s",
		cfg.N, cfg.Warmup, len(sample), cfg.C, baseURL)
	if cfg.Warmup > 0 {
		w := measure(ctx, cfg.Warmup, cfg.C, file("warm"))
		if w.OK == 0 {
			w.Name, w.Unit = "warm-up", "reports"
			return result{}, fmt.Errorf("every warm-up request failed: %s", w)
		}
	}
	r := measure(ctx, cfg.N, cfg.C, file("load"))
	r.Name, r.Unit, r.Payload = "intake", "reports", len(sample)
	return r, nil
}
