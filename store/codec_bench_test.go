package store

import (
	"testing"

	"github.com/klauspost/compress/zstd"
)

// BenchmarkPack compresses a breach record as a filing stores it at the
// encoder's levels, and decompresses it: go test -run '^$' -bench BenchmarkPack ./store/
func BenchmarkPack(b *testing.B) {
	record := []byte(`{"id":"06h0fi1fanp178ig186h2h91os","reference":"DL-2026-FX66Q","organisation":"Loadtest BV","stage":"complete","status":"new","received_at":"2026-11-23T09:41:29.557385093Z","completed_at":"2026-11-23T09:41:29.557385093Z","aware_at":"2026-11-23T09:41:29.557385093Z","updated_at":"2026-11-23T09:41:29.557385093Z","title":"Brieven naar verkeerd adres verstuurd (warm 000000001)","detected_at":"2026-11-23T08:41:29Z","started_at":"2026-11-23T07:41:29Z","ongoing":false,"cause":"Adresbestand verkeerd gekoppeld in de printstraat","personal_data":["naam","adres","bsn","eigen_bijdrage"],"subjects_min":120,"subjects_max":150,"sent_items":[{"description":"Beschikking eigen bijdrage 2027","channel":"post","count":150}],"item_disposition":"partly_returned","measures":"Printstraat stilgezet; ontvangers gebeld met verzoek te vernietigen","reporter":{"name":"J. Jansen","function":"Security officer","email":"j.jansen@acme.example","phone":"+31 6 12345678"},"contract_reference":"INK25.005","updates":[],"alerting":{"processor":{"alerted_until":"2026-11-23T09:41:29.557385093Z"},"authority":{"alerted_until":"2026-11-23T09:41:29.557385093Z","next_at":"2026-11-24T09:41:29.557385093Z"}},"version":1,"trail_hash":"a5a428804f269f935ca4557e9c4016bf0c63ef8136f3f992d5b80396fe891ec2"}`)
	for _, lvl := range []zstd.EncoderLevel{zstd.SpeedFastest, zstd.SpeedDefault} {
		enc := must(zstd.NewWriter(nil, zstd.WithEncoderDictRaw(dictionaryID, dictionary1), zstd.WithEncoderLevel(lvl)))
		b.Run(lvl.String(), func(b *testing.B) {
			var n int
			for b.Loop() {
				n = len(enc.EncodeAll(record, nil))
			}
			b.ReportMetric(float64(n), "bytes")
		})
	}
	b.Run("decode", func(b *testing.B) {
		packed := pack(record)
		for b.Loop() {
			_, _ = decoder.DecodeAll(packed, nil)
		}
	})
}
