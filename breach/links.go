package breach

import "strings"

// Links forms the addresses the service hands out in mails, so that each is
// spelt in one place. Every one is a page a person opens in a browser (after
// signing in), never a route of the JSON API: integrations know the API's
// routes without a mail to tell them.
type Links struct {
	Base string // the service's public URL (DATALEK_BASE_URL)
}

func (l Links) url(path string) string { return strings.TrimRight(l.Base, "/") + path }

// Page is a breach's page, where the privacy adviser and the controller
// read and handle it.
func (l Links) Page(id string) string { return l.url("/datalekken/" + id) }

// SupplierPage is a breach's page for the supplier's staff: their report,
// the forms to complete it and to report a development (Article 9.2), and
// the questions asked of them.
func (l Links) SupplierPage(id string) string { return l.url("/meldingen/" + id) }

// Question is a question on the supplier's page of its breach, with the
// form to answer it.
func (l Links) Question(id, questionID string) string {
	// The question also in the query, which, unlike the anchor, reaches the
	// service: a person who signs in first still lands at the question.
	return l.SupplierPage(id) + "?vraag=" + questionID + "#vraag-" + questionID
}

// OpenBreaches is the staff's overview of open breaches, nearest deadline
// first.
func (l Links) OpenBreaches() string { return l.url("/overzicht") }
