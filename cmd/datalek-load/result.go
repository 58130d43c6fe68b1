package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// config is one measurement's settings.
type config struct {
	URL        string // base URL of the service (intake)
	Token      string // supplier token (intake)
	AdminToken string // creates a supplier token when Token is empty (intake)
	N          int    // operations measured
	C          int    // concurrent workers
	Warmup     int    // operations before the measurement, not counted
	RawDir     string // parent of the raw measurement's temporary directory
	Log        io.Writer
}

func (cfg config) check() error {
	switch {
	case cfg.N < 1:
		return errors.New("-n must be at least 1")
	case cfg.C < 1:
		return errors.New("-c must be at least 1")
	case cfg.Warmup < 0:
		return errors.New("-warmup must not be negative")
	}
	return nil
}

func (cfg config) logf(format string, args ...any) {
	if cfg.Log != nil {
		fmt.Fprintf(cfg.Log, format+"\n", args...)
	}
}

// result is what one measurement found.
type result struct {
	Name    string // "intake", "raw bbolt"
	Unit    string // "reports", "writes"
	N, C    int
	Payload int // bytes per report body / value
	OK      int // operations that succeeded
	// Errors counts failed operations by HTTP status code, or by "transport"
	// (no response) or "error" (a raw write that failed).
	Errors  map[string]int
	Elapsed time.Duration // wall time of the measured operations
	// Latency percentiles over the operations that completed (successful or
	// answered with an error status); not over transport failures.
	P50, P95, P99, Max time.Duration
}

// Rate is successful operations per second.
func (r result) Rate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.OK) / r.Elapsed.Seconds()
}

// ErrorCount is the number of failed operations.
func (r result) ErrorCount() int {
	n := 0
	for _, v := range r.Errors {
		n += v
	}
	return n
}

func (r result) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %.1f %s/s  p50 %s p95 %s p99 %s max %s  (n=%d c=%d errors=%d",
		r.Name, r.Rate(), r.Unit, ms(r.P50), ms(r.P95), ms(r.P99), ms(r.Max), r.N, r.C, r.ErrorCount())
	for _, k := range slices.Sorted(maps.Keys(r.Errors)) {
		fmt.Fprintf(&b, " %s:%d", k, r.Errors[k])
	}
	fmt.Fprintf(&b, " payload=%dB elapsed=%s)", r.Payload, r.Elapsed.Round(time.Millisecond))
	return b.String()
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond)) }

// percentile is the nearest-rank percentile p (0 < p ≤ 1) of sorted.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(float64(len(sorted))*p-1e-9)) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// op performs operation i and returns its latency, and a non-empty error
// class when it failed. A negative latency means there is none to record
// (the operation never got an answer).
type op func(ctx context.Context, i int) (latency time.Duration, failure string)

// measure runs n operations on c workers that take the next index from a
// shared counter, and fills in the counts, elapsed time and percentiles.
func measure(ctx context.Context, n, c int, do op) result {
	lat := make([]time.Duration, n) // per index; -1 for none
	fail := make([]string, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range min(c, n) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				lat[i], fail[i] = do(ctx, i)
			}
		})
	}
	wg.Wait()
	r := result{N: n, C: c, Elapsed: time.Since(start), Errors: map[string]int{}}

	sorted := make([]time.Duration, 0, n)
	done := min(int(next.Load()), n)
	for i := range done {
		if fail[i] == "" {
			r.OK++
		} else {
			r.Errors[fail[i]]++
		}
		if lat[i] >= 0 {
			sorted = append(sorted, lat[i])
		}
	}
	if skipped := n - done; skipped > 0 {
		r.Errors["cancelled"] += skipped
	}
	slices.Sort(sorted)
	r.P50, r.P95, r.P99 = percentile(sorted, .50), percentile(sorted, .95), percentile(sorted, .99)
	if len(sorted) > 0 {
		r.Max = sorted[len(sorted)-1]
	}
	return r
}

// run performs the measurements the flags ask for, prints the summary block
// to out and returns the number of failed operations. The raw rate is
// measured twice: through the store's own group commit, which is the floor
// the service builds on, and through bbolt's Batch, the library's group commit.
func run(ctx context.Context, cfg config, raw, baseline bool, out io.Writer) (int, error) {
	var bases []result
	if raw || baseline {
		for _, mode := range []rawMode{rawCommit, rawBatch} {
			r, err := runRaw(ctx, cfg, mode)
			if err != nil {
				return 0, fmt.Errorf("raw %s: %w", mode, err)
			}
			if err := ctx.Err(); err != nil {
				return 0, err
			}
			bases = append(bases, r)
		}
	}
	failed := 0
	var in result
	if !raw {
		var err error
		if in, err = runIntake(ctx, cfg); err != nil {
			return 0, err
		}
		fmt.Fprintln(out, in)
		failed += in.ErrorCount()
	}
	for _, base := range bases {
		fmt.Fprintln(out, base)
		failed += base.ErrorCount()
	}
	for _, base := range bases {
		if !raw && base.Rate() > 0 {
			fmt.Fprintf(out, "ratio intake/%s: %.1f%%\n", base.Name, 100*in.Rate()/base.Rate())
		}
	}
	return failed, ctx.Err()
}
