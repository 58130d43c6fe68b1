package breach

import "strings"

// Links forms the addresses the service hands out, in mails now and on pages
// later, so that each is spelt in one place.
type Links struct {
	Base string // the service's public URL (DATALEK_BASE_URL)
}

func (l Links) url(path string) string { return strings.TrimRight(l.Base, "/") + path }

// Breach is where a breach is read over the API.
func (l Links) Breach(id string) string { return l.url("/api/v1/breaches/" + id) }

// Page is a breach's page, where the privacy adviser and the controller
// read and handle it.
func (l Links) Page(id string) string { return l.url("/datalekken/" + id) }

// Updates is where the supplier reports a development (Article 9.2).
func (l Links) Updates(id string) string { return l.Breach(id) + "/updates" }

// Answer is where the supplier answers a question.
func (l Links) Answer(id, questionID string) string {
	return l.Breach(id) + "/questions/" + questionID + "/answer"
}

// OpenBreaches is the staff's overview of open breaches, nearest deadline
// first.
func (l Links) OpenBreaches() string { return l.url("/overzicht") }
