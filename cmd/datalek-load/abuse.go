package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"datalek/breach"
	"datalek/breach/breachtest"
)

// abuseConfig is a run of honest suppliers beside one abusive one.
type abuseConfig struct {
	config
	Duration    time.Duration // how long the run lasts
	Honest      int           // honest suppliers, each with a token of its own
	HonestEvery time.Duration // how often each honest supplier files
	Idle        int           // idle connections the abuser opens
	AbuseFrom   string        // the abuser's local address (127.0.0.x), so it is another client
	DataDir     string        // the service's data directory, to measure its growth; may be empty
}

// abuseOrganisation is the abusive supplier's organisation.
const abuseOrganisation = "Misbruik BV"

// abuseResult is what a run found.
type abuseResult struct {
	Honest       result         // the honest filings
	AbuserWrites map[string]int // the abuser's writes by outcome ("ok" or a status)
	IdleHeld     int            // idle connections the service kept open
	IdleRefused  int            // idle connections the service closed or refused
	Changes      int            // writes that were stored, honest and abusive
	Growth       int64          // bytes the data directory grew by (-1: not measured)
}

func (r abuseResult) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "honest %s\n", r.Honest)
	fmt.Fprintf(&b, "abuser writes:")
	for _, k := range slices.Sorted(maps.Keys(r.AbuserWrites)) {
		fmt.Fprintf(&b, " %s:%d", k, r.AbuserWrites[k])
	}
	fmt.Fprintf(&b, "\nabuser idle connections: %d held, %d closed or refused\n", r.IdleHeld, r.IdleRefused)
	if r.Growth >= 0 {
		per := 0.0
		if r.Changes > 0 {
			per = float64(r.Growth) / float64(r.Changes) * 1000 / (1 << 20)
		}
		fmt.Fprintf(&b, "data directory grew by %.1f MB for %d stored changes: %.2f MB per 1,000 changes",
			float64(r.Growth)/(1<<20), r.Changes, per)
	}
	return b.String()
}

// dirSize is the bytes the files under dir take on disk. A file's length
// would not do: bbolt grows its file ahead in large steps, and the length
// counts pages not yet written (a sparse file) as if they were.
func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			n += allocated(info)
		}
		return err
	})
	return n, err
}

// largeReport is a valid report of about limit bytes of JSON: many sent
// items with long descriptions of text that compresses badly.
func largeReport(now time.Time, limit int, rng *rand.Rand) map[string]any {
	f := breachtest.ExampleReport(now)
	var items []map[string]any
	for n := 1000; n+9_900+64 < limit && len(items) < 100; n += 9_900 + 64 {
		items = append(items, map[string]any{"description": gibberish(rng, 9_900), "channel": "post", "count": 1})
	}
	f["sent_items"] = items
	return f
}

// gibberish is n bytes of words of random letters: text that compresses
// about as badly as text can, so that the store's compression flatters no
// figure of an abuse run.
func gibberish(rng *rand.Rand, n int) string {
	var b strings.Builder
	for b.Len() < n {
		for range 2 + rng.IntN(9) {
			b.WriteByte(byte('a' + rng.IntN(26)))
		}
		b.WriteByte(' ')
	}
	return b.String()[:n]
}

// runAbuse runs cfg.Honest suppliers filing every cfg.HonestEvery beside
// one supplier that files the largest reports it can, corrects them as fast
// as it can and holds cfg.Idle idle connections from another address, for
// cfg.Duration, and measures the honest filings' latency and the data
// directory's growth.
func runAbuse(ctx context.Context, cfg abuseConfig) (abuseResult, error) {
	if cfg.Honest < 1 || cfg.Duration <= 0 || cfg.HonestEvery <= 0 {
		return abuseResult{}, errors.New("-honest, -duration and -honest-every must be positive")
	}
	if cfg.AdminToken == "" {
		return abuseResult{}, errors.New("the abuse run needs an admin token (-admin-token or DATALEK_ADMIN_TOKEN)")
	}
	baseURL := strings.TrimRight(cfg.URL, "/")
	honestClient := newClient(cfg.Honest)
	defer honestClient.CloseIdleConnections()
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	if cfg.AbuseFrom != "" {
		dialer.LocalAddr = &net.TCPAddr{IP: net.ParseIP(cfg.AbuseFrom)}
	}
	abuseTransport := http.DefaultTransport.(*http.Transport).Clone()
	abuseTransport.DialContext = dialer.DialContext
	abuseClient := &http.Client{Transport: abuseTransport, Timeout: time.Minute}
	defer abuseClient.CloseIdleConnections()

	honestTokens := make([]string, cfg.Honest)
	for i := range honestTokens {
		var err error
		if honestTokens[i], err = supplierToken(ctx, honestClient, baseURL, cfg.AdminToken, loadOrganisation); err != nil {
			return abuseResult{}, err
		}
	}
	abuser, err := supplierToken(ctx, honestClient, baseURL, cfg.AdminToken, abuseOrganisation)
	if err != nil {
		return abuseResult{}, err
	}
	res := abuseResult{AbuserWrites: map[string]int{}, Growth: -1}
	var before int64
	if cfg.DataDir != "" {
		if before, err = dirSize(cfg.DataDir); err != nil {
			return res, err
		}
	}

	ctx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	now := time.Now()
	var mu sync.Mutex
	var wg sync.WaitGroup
	var changes atomic.Int64
	abused := func(outcome string) {
		mu.Lock()
		res.AbuserWrites[outcome]++
		mu.Unlock()
	}

	// The abuser's idle connections, from its own address.
	u, err := url.Parse(baseURL)
	if err != nil {
		return res, err
	}
	host := u.Host
	var idle []net.Conn
	wg.Go(func() {
		for i := 0; i < cfg.Idle && ctx.Err() == nil; i++ {
			c, err := dialer.DialContext(ctx, "tcp", host)
			mu.Lock()
			if err != nil {
				res.IdleRefused++
			} else {
				idle = append(idle, c)
			}
			mu.Unlock()
		}
	})
	// Large reports, and corrections of them, as fast as the service answers.
	// The reports leave room for a correction of 9,000 bytes within the
	// size a report may have (breach.MaxReportBytes).
	var target atomic.Value // the abuser's latest breach ID
	wg.Go(func() {
		rng := rand.New(rand.NewPCG(1, 1))
		for i := 0; ctx.Err() == nil; i++ {
			status, id := send(ctx, abuseClient, http.MethodPost, baseURL+"/api/v1/breaches", abuser,
				largeReport(now, breach.MaxReportBytes-12_000, rng))
			abused(status)
			if id != "" {
				target.Store(id)
				changes.Add(1)
			}
		}
	})
	wg.Go(func() {
		rng := rand.New(rand.NewPCG(2, 2))
		for i := 0; ctx.Err() == nil; i++ {
			id, _ := target.Load().(string)
			if id == "" {
				time.Sleep(10 * time.Millisecond)
				continue
			}
			status, _ := send(ctx, abuseClient, http.MethodPatch, baseURL+"/api/v1/breaches/"+id, abuser,
				map[string]any{"measures": fmt.Sprintf("Maatregel %d: %s", i, gibberish(rng, 9_000))})
			abused(status)
			if status == "ok" {
				changes.Add(1)
			}
		}
	})
	// The honest suppliers, each filing at its own pace.
	var latencies []time.Duration
	honest := result{Name: "intake", Unit: "reports", C: cfg.Honest, Errors: map[string]int{}}
	start := time.Now()
	for i, token := range honestTokens {
		wg.Go(func() {
			tick := time.NewTicker(cfg.HonestEvery)
			defer tick.Stop()
			for n := 0; ; n++ {
				body, _ := reportBody(now, fmt.Sprintf("h%02d", i), n)
				var report map[string]any
				_ = json.Unmarshal(body, &report)
				t0 := time.Now()
				status, _ := send(ctx, honestClient, http.MethodPost, baseURL+"/api/v1/breaches", token, report)
				lat := time.Since(t0)
				if ctx.Err() != nil {
					return // cut off by the end of the run: not counted
				}
				mu.Lock()
				honest.N++
				latencies = append(latencies, lat)
				if status == "ok" {
					honest.OK++
					changes.Add(1)
				} else {
					honest.Errors[status]++
				}
				mu.Unlock()
				select {
				case <-ctx.Done():
					return
				case <-tick.C:
				}
			}
		})
	}
	wg.Wait()
	honest.Elapsed = time.Since(start)
	slices.Sort(latencies)
	honest.P50, honest.P95, honest.P99 = percentile(latencies, .50), percentile(latencies, .95), percentile(latencies, .99)
	if len(latencies) > 0 {
		honest.Max = latencies[len(latencies)-1]
	}
	res.Honest, res.Changes = honest, int(changes.Load())

	// An idle connection the service closed reads end of file at once.
	for _, c := range idle {
		_ = c.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
		if _, err := c.Read(make([]byte, 1)); errors.Is(err, io.EOF) {
			res.IdleRefused++
		} else {
			res.IdleHeld++
		}
		c.Close()
	}
	if cfg.DataDir != "" {
		time.Sleep(2 * time.Second) // let the relay write out what the run queued
		after, err := dirSize(cfg.DataDir)
		if err != nil {
			return res, err
		}
		res.Growth = after - before
	}
	return res, nil
}

// send makes a JSON request and returns "ok" for a 2xx answer, else the
// status or "transport", and the id of a created breach.
func send(ctx context.Context, client *http.Client, method, url, token string, body any) (outcome, id string) {
	data, err := json.Marshal(body)
	if err != nil {
		return "marshal", ""
	}
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(data))
	if err != nil {
		return "request", ""
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return "transport", ""
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if resp.StatusCode/100 != 2 {
		return strconv.Itoa(resp.StatusCode), ""
	}
	var b breach.Breach
	if resp.StatusCode == http.StatusCreated && json.Unmarshal(answer, &b) == nil {
		id = b.ID
	}
	return "ok", id
}
