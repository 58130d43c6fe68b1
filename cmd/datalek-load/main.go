// Command datalek-load measures how many breach reports a running datalek
// service takes in per second, and how that compares with the raw durable
// write rate of bbolt on the same disk.
//
// Intake mode (the default) files -n valid, complete reports with -c
// concurrent clients (POST /api/v1/breaches, one shared keep-alive client)
// after -warmup reports that are not counted, and prints reports/s, the
// p50/p95/p99/max latency and the errors by status code. It needs a supplier
// token (-token), or an admin token (-admin-token, default
// $DATALEK_ADMIN_TOKEN) with which it creates one for organisation
// "Loadtest BV". The reports stay in the service's database.
//
// With -raw it measures bbolt alone instead: a fresh database in a temporary
// directory under -raw-dir, opened by the store with its options, -c
// goroutines each putting a value as large as the report body (fsync on), -n
// writes in all, twice: through the store's group commit (store-commit) and
// through bbolt's DB.Batch with its defaults (bbolt-batch). The directory is
// removed afterwards.
//
// With -baseline, intake mode first measures both raw rates (same -n and -c)
// and then the intake, and prints the ratio intake/raw for each.
//
// With -abuse it runs -honest suppliers, each with its own token, filing one
// report every -honest-every, beside one abusive supplier that for -duration
// files the largest reports it can, corrects them as fast as it can and
// holds -idle idle connections from another local address (-abuse-from),
// and prints the honest filings' latency, what became of the abuser's
// writes and connections, and how much -data-dir grew per 1,000 stored
// changes.
//
// Usage:
//
//	go run ./cmd/datalek-load -admin-token $DATALEK_ADMIN_TOKEN -n 20000 -c 64 -baseline
//	go run ./cmd/datalek-load -url http://127.0.0.1:18181 -token dl_... -n 5000 -c 32
//	go run ./cmd/datalek-load -raw -raw-dir ./data -n 20000 -c 64
//	go run ./cmd/datalek-load -abuse -honest 16 -idle 10000 -duration 60s -data-dir ./data -smtp-sink 127.0.0.1:2525
//
// With -smtp-sink the tool runs, for the length of its run, an SMTP server
// that accepts and discards every mail: point the service's DATALEK_SMTP_URL
// at it (smtp://127.0.0.1:2525?tls=none) so that its mail leaves and the data
// directory holds no .eml files.
//
// Put -raw-dir on the same disk as the service's data directory, or the ratio
// compares two disks. It exits 1 when any request failed.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	var cfg config
	fs := flag.NewFlagSet("datalek-load", flag.ExitOnError)
	fs.StringVar(&cfg.URL, "url", "http://127.0.0.1:8080", "base URL of the running service")
	fs.StringVar(&cfg.Token, "token", "", "supplier token to file the reports with")
	fs.StringVar(&cfg.AdminToken, "admin-token", os.Getenv("DATALEK_ADMIN_TOKEN"),
		"admin token; used when -token is empty to create a supplier token for \""+loadOrganisation+"\" [DATALEK_ADMIN_TOKEN]")
	fs.IntVar(&cfg.N, "n", 10000, "number of reports (or raw writes) measured")
	fs.IntVar(&cfg.C, "c", 64, "concurrent clients (or raw writers)")
	fs.IntVar(&cfg.Warmup, "warmup", 200, "requests (or raw writes) before the measurement, not counted")
	raw := fs.Bool("raw", false, "measure the raw durable bbolt write rate instead of the intake")
	fs.StringVar(&cfg.RawDir, "raw-dir", ".", "directory under which the raw bbolt measurement makes its temporary directory (use the service's disk)")
	baseline := fs.Bool("baseline", false, "in intake mode, first measure raw bbolt and print the ratio intake/raw")
	abuse := fs.Bool("abuse", false, "run honest suppliers beside an abusive one instead of the intake")
	sinkAddr := fs.String("smtp-sink", "", "host:port of an SMTP server to run for the length of the run that accepts and discards every mail (point DATALEK_SMTP_URL at it with tls=none)")
	acfg := abuseConfig{}
	fs.DurationVar(&acfg.Duration, "duration", time.Minute, "length of the abuse run")
	fs.IntVar(&acfg.Honest, "honest", 16, "honest suppliers in the abuse run")
	fs.DurationVar(&acfg.HonestEvery, "honest-every", time.Second, "how often each honest supplier files")
	fs.IntVar(&acfg.Idle, "idle", 10000, "idle connections the abuser opens")
	fs.StringVar(&acfg.AbuseFrom, "abuse-from", "127.0.0.2", "local address of the abuser, another client than the honest ones")
	fs.StringVar(&acfg.DataDir, "data-dir", "", "the service's data directory, to measure its growth in the abuse run")
	stats := fs.String("bucket-stats", "", "print where the bytes of this datalek.db go, bucket by bucket, and exit (stop the service first)")
	_ = fs.Parse(os.Args[1:])
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "datalek-load: unexpected argument %q\n", fs.Arg(0))
		os.Exit(2)
	}
	if *stats != "" {
		if err := bucketStats(*stats, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "datalek-load:", err)
			os.Exit(1)
		}
		return
	}
	cfg.Log = os.Stderr

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *sinkAddr != "" {
		s, err := startSink(*sinkAddr)
		if err != nil {
			fmt.Fprintln(os.Stderr, "datalek-load: smtp sink:", err)
			os.Exit(1)
		}
		defer func() { fmt.Fprintf(os.Stderr, "smtp sink: %d mails received\n", s.received.Load()); s.close() }()
	}
	if *abuse {
		acfg.config = cfg
		r, err := runAbuse(ctx, acfg)
		if err != nil {
			fmt.Fprintln(os.Stderr, "datalek-load:", err)
			os.Exit(1)
		}
		fmt.Println(r)
		return // the sink closes
	}
	failed, err := run(ctx, cfg, *raw, *baseline, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "datalek-load:", err)
		os.Exit(1)
	}
	if failed > 0 {
		os.Exit(1)
	}
}
