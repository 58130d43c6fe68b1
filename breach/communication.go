package breach

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Telling the people affected (Art. 34): each communication as it went out,
// for the register, and the rule that a decision to inform them is carried
// out before the breach is closed as handled.

// ActionSubjectsInformed is the trail entry of a communication to the
// people affected.
const ActionSubjectsInformed Action = "subjects.informed"

// NoticeSubjectsInformed is the mail saying that one was recorded.
const NoticeSubjectsInformed NoticeKind = "subjects_informed"

// SubjectChannel is how the people affected were told.
type SubjectChannel string

const (
	SubjectLetter       SubjectChannel = "letter"
	SubjectEmail        SubjectChannel = "email"
	SubjectSMS          SubjectChannel = "sms"
	SubjectPhone        SubjectChannel = "phone"
	SubjectPublicNotice SubjectChannel = "public_notice" // where telling each would take disproportionate effort
)

// SubjectChannels lists the channels.
var SubjectChannels = []SubjectChannel{SubjectLetter, SubjectEmail, SubjectSMS, SubjectPhone, SubjectPublicNotice}

// SubjectCommunication is one communication to the people affected: when,
// how, to how many and with what text, as Art. 34 and the register ask.
type SubjectCommunication struct {
	Seq        int            `json:"seq"`
	SentAt     time.Time      `json:"sent_at"`
	Channel    SubjectChannel `json:"channel"`
	Reached    int            `json:"reached"` // people reached; for a public notice, the people it is meant for
	Text       string         `json:"text"`
	RecordedAt time.Time      `json:"recorded_at"`
	By         string         `json:"by"`
}

// SubjectCommunicationRequest is what the controller or adviser sends.
type SubjectCommunicationRequest struct {
	SentAt  time.Time      `json:"sent_at"`
	Channel SubjectChannel `json:"channel"`
	Reached *int           `json:"reached"`
	Text    string         `json:"text"`
}

var actInform = action{"een bericht aan de betrokkenen vastleggen", []Role{RoleController, RoleAdviser}, []Status{StatusDecided, StatusClosed}}

// informs reports whether the decision in force is to tell the people
// affected (now or planned).
func (b *Breach) informs() bool {
	d := b.DecisionInForce()
	return d != nil && (d.InformSubjects == InformYes || d.InformSubjects == InformPlanned)
}

// communicationDue reports whether the decision in force asks that the
// people affected are told: each of them (now or planned), or, under the
// exemption of Art. 34(3)(c), all of them by a public notice instead.
func (b *Breach) communicationDue() bool {
	d := b.DecisionInForce()
	return b.informs() || d != nil && d.SubjectsExemption == ExemptionDisproportionateEffort
}

// RecordSubjectCommunication records a communication to the people
// affected. It needs a decision to inform them, or a public notice under
// the exemption of Art. 34(3)(c); it cannot predate the
// breach's detection nor lie in the future. Errors: EFORBIDDEN, ENOTFOUND,
// ECONFLICT, EINVALID.
func (s *Service) RecordSubjectCommunication(ctx context.Context, a Actor, id string, req SubjectCommunicationRequest) (*Breach, error) {
	return s.triage(ctx, a, id, actInform, func(b *Breach, now time.Time) error {
		switch {
		case !b.communicationDue():
			return Errorf(ECONFLICT, "Het besluit over datalek %s is de betrokkenen niet te informeren; leg eerst een besluit vast dat dat wel doet.", b.Reference)
		case !b.informs() && req.Channel != SubjectPublicNotice:
			return Errorf(ECONFLICT, "Het besluit over datalek %s is de betrokkenen niet ieder te informeren maar met een openbare mededeling "+
				"(art. 34, derde lid, onder c, AVG); leg die vast met channel public_notice.", b.Reference)
		}
		c := SubjectCommunication{SentAt: req.SentAt.UTC(), Channel: req.Channel, Text: strings.TrimSpace(req.Text)}
		var p Problems
		switch {
		case req.SentAt.IsZero():
			p.Add("sent_at", "is verplicht")
		case c.SentAt.After(now.Add(ClockSkew)):
			p.Add("sent_at", "ligt in de toekomst")
		case c.SentAt.Before(b.Report.DetectedAt):
			p.Add("sent_at", "ligt voor de ontdekking van het datalek (%s)", b.Report.DetectedAt.Format(time.RFC3339))
		}
		if !slices.Contains(SubjectChannels, c.Channel) {
			p.Add("channel", "moet %s zijn", orList(SubjectChannels))
		}
		switch {
		case req.Reached == nil:
			p.Add("reached", "is verplicht: hoeveel betrokkenen het bericht bereikte")
		case *req.Reached < 1:
			p.Add("reached", "moet ten minste 1 zijn")
		case b.SubjectsMax != nil && *req.Reached > *b.SubjectsMax:
			p.Add("reached", "is meer dan het maximum aantal betrokkenen van de melding (%d); pas eerst subjects_max van de melding aan", *b.SubjectsMax)
		default:
			c.Reached = *req.Reached
		}
		text(&p, "text", c.Text, maxText, true)
		if err := p.Err("Het bericht aan de betrokkenen is niet volledig of niet geldig."); err != nil {
			return err
		}
		c.Seq, c.RecordedAt, c.By = len(b.SubjectCommunications)+1, now, a.Label()
		b.SubjectCommunications = append(b.SubjectCommunications, c)
		b.recordAdded(now, a, ActionSubjectsInformed, "", "subject_communications", c)
		s.mailbox(b, NoticeSubjectsInformed, now, a, func(x *Notice) { x.Communication = &c })
		return nil
	})
}

// InformedSubjects is how many people the communications reached in all.
func (b *Breach) InformedSubjects() int {
	n := 0
	for _, c := range b.SubjectCommunications {
		n += c.Reached
	}
	return n
}
