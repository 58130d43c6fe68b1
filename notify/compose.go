// Package notify turns the notices the domain queues into Dutch mails and
// delivers them: the composer builds each message (plain text with an HTML
// alternative), the relay works through the outbox with back-off, and a
// transport hands messages to an SMTP server or writes them as .eml files.
package notify

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/wneessen/go-mail"

	"datalek/breach"
	"datalek/breach/nl"
)

// Composer builds the message for a notice. It is deterministic: the same
// notice always gives the same message, so a resent mail is the same mail.
type Composer struct {
	From    string
	BaseURL string // links point at the breach under this URL
}

// messageIDDomain is the right-hand side of Message-IDs: the service's host.
func (c *Composer) messageIDDomain() string {
	if u, err := url.Parse(c.BaseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "datalek.invalid"
}

// MessageID is the Message-ID (without angle brackets) of the notice with id.
func (c *Composer) MessageID(id string) string { return "datalek." + id + "@" + c.messageIDDomain() }

// Compose returns the message for a notice.
func (c *Composer) Compose(n breach.Notice) (*mail.Msg, error) {
	doc, err := c.document(n)
	if err != nil {
		return nil, err
	}
	if n.Breach != nil && (n.Audience == breach.AudienceReporter || n.Audience == breach.AudienceMailboxForReporter) {
		// A reporter whose organisation files through an integration may
		// have no account for the page the mail links to.
		doc.Outro = append(doc.Outro, "Nog geen account voor de datalekdienst? Vraag de beheerder van de datalekdienst om een "+
			"uitnodiging, of neem contact op met de Adviseur Privacy en noem kenmerk "+n.Breach.Reference+".")
	}
	m := mail.NewMsg(mail.WithNoDefaultUserAgent())
	if err := m.From(c.From); err != nil {
		return nil, fmt.Errorf("from: %w", err)
	}
	if err := m.To(n.To...); err != nil { // go-mail's error repeats the address: personal data, kept out of the log
		return nil, fmt.Errorf("to: an address of notice %s (audience %s) does not parse", n.ID, n.Audience)
	}
	m.Subject(doc.Subject)
	m.SetDateWithValue(n.At)
	m.SetMessageIDWithValue(c.MessageID(n.ID))
	if n.ThreadID != "" {
		ref := "<" + c.MessageID(n.ThreadID) + ">"
		m.SetGenHeader(mail.HeaderInReplyTo, ref)
		m.SetGenHeader(mail.HeaderReferences, ref)
	}
	m.SetGenHeader("Auto-Submitted", "auto-generated")
	m.SetGenHeader(mail.HeaderXAutoResponseSuppress, "All")
	text, html, err := doc.render()
	if err != nil {
		return nil, err
	}
	m.SetBodyString(mail.TypeTextPlain, text)
	m.AddAlternativeString(mail.TypeTextHTML, html)
	return m, nil
}

// document is what a mail says, independent of plain text or HTML.
type document struct {
	Subject  string
	Intro    []string
	Sections []section
	Outro    []string
	Do       []action // what the reader is asked to do, and on which page
	Link     string
}

// action asks the reader to do something on a page: "Beantwoord de vraag
// op <URL>." The URL is a page, never a route of the API.
type action struct{ Text, URL string }

type section struct {
	Title string
	Rows  []row
	Table *table // instead of rows: the digest's overview
}

type row struct{ Label, Value string } // as nl.Row, local so that its literals may stay unkeyed

type table struct {
	Head []string
	Rows [][]string
}

func subject(b *breach.Breach, text string) string {
	return fmt.Sprintf("[Datalek %s] %s", b.Reference, text)
}

// links forms the addresses a mail carries.
func (c *Composer) links() breach.Links { return breach.Links{Base: c.BaseURL} }

// link is where the mail's reader follows the breach up: the reporter on
// the supplier's page of the breach; the privacy mailbox (also with a mail
// it is to pass on to a reporter without an e-mail address) and the contact
// official on the staff's page.
func (c *Composer) link(n breach.Notice) string {
	if n.Audience == breach.AudienceReporter {
		return c.links().SupplierPage(n.Breach.ID)
	}
	return c.links().Page(n.Breach.ID)
}

// passOn is what the reporter is asked to do on a page, in the reporter's
// own mail; in the mail the mailbox passes on to a reporter without an
// e-mail address, it says so. The controller's side is asked nothing here.
func passOn(n breach.Notice, text, url string) []action {
	switch n.Audience {
	case breach.AudienceReporter:
		return []action{{text, url}}
	case breach.AudienceMailboxForReporter:
		return []action{{"Geef dit door aan de melder. " + text, url}}
	}
	return nil
}

// document says what the notice says. The breach it shows is as the mail's
// audience may see it: a mail to the reporter never carries the
// controller's deliberation.
func (c *Composer) document(n breach.Notice) (document, error) {
	switch n.Kind {
	case breach.NoticeInvitation:
		return c.invitation(n)
	case breach.NoticeStaffAccess:
		return staffAccess(n)
	}
	if n.Breach == nil && n.Kind != breach.NoticeDigest {
		return document{}, fmt.Errorf("notice %s (%s) has no breach", n.ID, n.Kind)
	}
	n.Breach = n.Side().Visible(n.Breach)
	switch n.Kind {
	case breach.NoticeFiled:
		return c.filed(n), nil
	case breach.NoticeAcknowledged:
		return c.acknowledged(n), nil
	case breach.NoticeAmended, breach.NoticeUpdated:
		return c.changed(n), nil
	case breach.NoticeAwareness:
		return c.awareness(n), nil
	case breach.NoticeAlert:
		return c.alert(n)
	case breach.NoticeDigest:
		return c.digest(n), nil
	case breach.NoticeStatus, breach.NoticeAssessment, breach.NoticeDecision, breach.NoticeNotification, breach.NoticeSubjectsInformed,
		breach.NoticeClosed:
		return c.handling(n)
	case breach.NoticeQuestion, breach.NoticeAnswer:
		return c.question(n)
	case breach.NoticeBounce:
		return c.bounce(n)
	}
	return document{}, fmt.Errorf("notice %s: unknown kind %q", n.ID, n.Kind)
}

// invitation invites a person to an account: the one-time link to set a
// password and a second factor, and until when it works.
func (c *Composer) invitation(n breach.Notice) (document, error) {
	inv := n.Invitation
	if inv == nil {
		return document{}, fmt.Errorf("notice %s: an invitation without its link", n.ID)
	}
	by := "De beheerder van de datalekdienst"
	if n.Actor != nil {
		by = n.Actor.Name
	}
	return document{
		Subject: "Uitnodiging voor de datalekdienst",
		Intro: []string{fmt.Sprintf("Beste %s,", inv.Name),
			fmt.Sprintf("%s heeft een account voor u aangemaakt in de datalekdienst, waar datalekken worden gemeld en afgehandeld.", by),
			"Open de link hieronder om een wachtwoord te kiezen en een tweede factor in te stellen (een app op uw telefoon die codes maakt). " +
				fmt.Sprintf("De link werkt één keer, tot %s.", nl.Time(inv.ExpiresAt))},
		Link:  strings.TrimSuffix(c.BaseURL, "/") + inv.Link,
		Outro: []string{"Verwacht u deze uitnodiging niet? Dan kunt u dit bericht negeren; er gebeurt dan niets."},
	}, nil
}

// staffAccess tells the privacy mailbox that an operator gave access to
// breach content: who, how, as what, and what to do if it was not meant.
func staffAccess(n breach.Notice) (document, error) {
	g := n.StaffAccess
	if g == nil {
		return document{}, fmt.Errorf("notice %s: a grant of access without what was granted", n.ID)
	}
	by := "Een beheerder van de datalekdienst"
	if n.Actor != nil {
		by = "De beheerder " + nl.By(n.Actor.Label())
	}
	means, undo := "een account", "blokkeer het account"
	if g.Means == breach.AccessToken {
		means, undo = "een API-token", "trek het token in"
	}
	return document{
		Subject: fmt.Sprintf("Toegang tot de datalekken gegeven aan %s (%s)", g.Holder, nl.Role(g.Role)),
		Intro: []string{fmt.Sprintf("%s heeft op %s %s toegang gegeven tot alle datalekken, als %s, met %s.",
			by, nl.Time(n.At), g.Holder, nl.Role(g.Role), means)},
		Outro: []string{fmt.Sprintf("Was dit niet de bedoeling? Laat de beheerder dan %s en ga na wie het deed: "+
			"een beheerder ziet zelf geen datalekken, en kan zich zo toegang geven.", undo)},
	}, nil
}

// noEmail is the line that tells the mailbox why it gets a mail meant for the
// reporter.
func noEmail(b *breach.Breach) string {
	return fmt.Sprintf("De melder heeft geen e-mailadres opgegeven; neem contact op: %s.", reporter(b.Reporter))
}

func actorName(n breach.Notice) string {
	if n.Actor == nil {
		return "De dienst"
	}
	name := nl.ActorText(n.Actor.Name, n.Actor.Role, n.Actor.Organisation)
	return strings.ToUpper(name[:1]) + name[1:] // starts a sentence
}
