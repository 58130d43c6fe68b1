package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
)

// BenchmarkFileBreach files complete reports over real HTTP into a real bbolt
// file, from 64 concurrent clients (GOMAXPROCS × parallelism).
func BenchmarkFileBreach(b *testing.B) {
	ta := newTestAPI(b)
	acme := ta.token("supplier", "Acme BV", "bench")
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}}
	var seq atomic.Int64
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			report := exampleReport(ta.Now)
			report["title"] = fmt.Sprintf("Bench %d", seq.Add(1))
			body, _ := json.Marshal(report)
			req, _ := http.NewRequest("POST", ta.URL+"/api/v1/breaches", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+acme)
			res, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusCreated {
				b.Fatalf("status %d", res.StatusCode)
			}
		}
	})
}
