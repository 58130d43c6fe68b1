// Package breachtest holds the example report that tests, the crash test and
// the load generator file, so that all of them send the same, valid report.
package breachtest

import (
	"encoding/json"
	"time"

	"datalek/breach"
)

func ptr[T any](v T) *T { return &v }

// ExampleFiling returns the filing example of API.md, detected an hour and
// started two hours before now, with times in Europe/Amsterdam as a Dutch
// supplier would write them.
func ExampleFiling(now time.Time) breach.Filing {
	now = now.In(breach.Amsterdam).Truncate(time.Second)
	return breach.Filing{Report: breach.Report{
		Title:             "Brieven naar verkeerd adres verstuurd",
		DetectedAt:        now.Add(-time.Hour),
		StartedAt:         ptr(now.Add(-2 * time.Hour)),
		Ongoing:           ptr(false),
		Cause:             "Adresbestand verkeerd gekoppeld in de printstraat",
		PersonalData:      []string{"naam", "adres", "bsn", "eigen_bijdrage"},
		SubjectsMin:       ptr(120),
		SubjectsMax:       ptr(150),
		SentItems:         []breach.SentItem{{Description: "Beschikking eigen bijdrage 2027", Channel: "post", Count: ptr(150)}},
		ItemDisposition:   breach.DispositionPartlyReturned,
		Measures:          "Printstraat stilgezet; ontvangers gebeld met verzoek te vernietigen",
		Reporter:          breach.Reporter{Name: "J. Jansen", Function: "Security officer", Email: "j.jansen@acme.example", Phone: "+31 6 12345678"},
		ContractReference: "INK25.005",
	}}
}

// ExampleReport returns ExampleFiling as a JSON object, for tests that change
// a field, or break it, before sending it.
func ExampleReport(now time.Time) map[string]any {
	data, err := json.Marshal(ExampleFiling(now))
	if err != nil {
		panic(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		panic(err)
	}
	return m
}
