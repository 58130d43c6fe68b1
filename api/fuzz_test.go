package api

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"datalek/breach"
)

// fuzzNow is the moment the fuzzed filings are received.
var fuzzNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// decodeFiling is what POST /api/v1/breaches does with a body before the
// service stores it: strict decoding, then validation, merged.
func decodeFiling(data []byte) (breach.Filing, error) {
	var f breach.Filing
	if err := decodeStrict(data, &f); err != nil {
		if breach.ErrorCode(err) == breach.EINVALID {
			return f, withValidation(err, f.Validate(fuzzNow))
		}
		return f, err
	}
	return f, f.Validate(fuzzNow)
}

// checkError fails unless err is a request error (400) or a validation error
// naming at least one field, each with a message.
func checkError(t *testing.T, err error) {
	t.Helper()
	var re *requestError
	var de *breach.Error
	switch {
	case errors.As(err, &re):
		if re.status != 400 || re.detail == "" {
			t.Fatalf("request error %d %q", re.status, re.detail)
		}
	case errors.As(err, &de):
		if de.Code != breach.EINVALID || len(de.Fields) == 0 {
			t.Fatalf("domain error %q with %d fields", de.Code, len(de.Fields))
		}
		for _, f := range de.Fields {
			if f.Field == "" || f.Message == "" {
				t.Fatalf("field error without field or message: %+v", f)
			}
		}
	default:
		t.Fatalf("unexpected error type %T: %v", err, err)
	}
}

func FuzzDecodeFiling(f *testing.F) {
	for _, seed := range []string{
		// The example of API.md, and a preliminary report.
		`{"title":"Brieven naar verkeerd adres verstuurd","detected_at":"2026-11-20T09:15:00+01:00","started_at":"2026-11-19T16:00:00+01:00","ongoing":false,"cause":"Adresbestand verkeerd gekoppeld in de printstraat","personal_data":["naam","adres","bsn","eigen_bijdrage"],"subjects_min":120,"subjects_max":150,"sent_items":[{"description":"Beschikking eigen bijdrage 2027","channel":"post","count":150}],"item_disposition":"partly_returned","measures":"Printstraat stilgezet; ontvangers gebeld met verzoek te vernietigen","reporter":{"name":"J. Jansen","function":"Security officer","email":"j.jansen@acme.example","phone":"+31 6 12345678"},"contract_reference":"INK25.005"}`,
		`{"stage":"preliminary","title":"Laptop gestolen","detected_at":"2026-11-20T08:00:00Z","reporter":{"name":"P. de Vries","phone":"020-1234567"}}`,
		`{"title":"Niets verstuurd","detected_at":"2026-11-20T08:00:00Z","started_at":"2026-11-20T07:00:00Z","cause":"x","personal_data":["other:kentekens"],"subjects_min":0,"subjects_max":0,"sent_items":[],"item_disposition":"not_applicable","measures":"y","reporter":{"name":"A","email":"a@b.example"},"organisation":"Acme BV"}`,
		// Broken ones.
		`{"title": "", "detected_at": "gisteren", "subjects_max": true, "reporter": {"name": 1}}`,
		`{"titel": "x", "reporter": {"nme": "x"}}`,
		`{"sent_items": [{"count": "twee"}], "personal_data": "naam"}`,
		`{"subjects_min": 1e400, "subjects_max": -1, "started_at": "9999-12-31T23:59:59Z"}`,
		`{"title": "x", "Title": "y", "TITLE": null}`,
		`{"title":"x"} {}`, `[]`, `null`, `"x"`, `{`, ``, `{"reporter": null, "sent_items": null}`,
		"{\"title\": \"\xff\xfe\"}",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		filing, err := decodeFiling(data)
		if err != nil {
			checkError(t, err)
			return
		}
		// What is accepted survives a round trip unchanged and stays valid.
		encoded, err := json.Marshal(filing)
		if err != nil {
			t.Fatalf("accepted filing does not encode: %v", err)
		}
		again, err := decodeFiling(encoded)
		if err != nil {
			t.Fatalf("accepted filing is refused after a round trip: %v\n%s", err, encoded)
		}
		reencoded, _ := json.Marshal(again)
		if string(reencoded) != string(encoded) {
			t.Fatalf("round trip changed the filing:\n%s\n%s", encoded, reencoded)
		}
	})
}
