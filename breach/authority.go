package breach

import (
	"context"
	"slices"
	"strings"
	"time"
)

// The notification to the Autoriteit Persoonsgegevens, in phases.

// ActionAuthorityNotification is the trail entry of a phase of the
// notification to the AP.
const ActionAuthorityNotification Action = "authority.notification"

// NoticeNotification is the mail saying that a notification to the AP was
// recorded.
const NoticeNotification NoticeKind = "notification"

// AuthorityNotification is one phase of the notification to the Autoriteit
// Persoonsgegevens, as submitted through its form.
type AuthorityNotification struct {
	Seq         int       `json:"seq"`
	Phase       Phase     `json:"phase"`
	SubmittedAt time.Time `json:"submitted_at"`
	Reference   string    `json:"reference"` // the AP's meldingsnummer
	Note        string    `json:"note,omitempty"`
	DelayReason string    `json:"delay_reason,omitempty"`
	Reason      string    `json:"reason,omitempty"`
	// EarlyReason is why it was submitted before the supplier's report was
	// received: unusual, so it is explained.
	EarlyReason string    `json:"early_reason,omitempty"`
	RecordedAt  time.Time `json:"recorded_at"`
	By          string    `json:"by"`
}

// AuthorityNotificationRequest is what the controller sends.
type AuthorityNotificationRequest struct {
	Phase       Phase     `json:"phase"`
	SubmittedAt time.Time `json:"submitted_at"`
	Reference   string    `json:"reference"`
	Note        string    `json:"note,omitempty"`
	DelayReason string    `json:"delay_reason,omitempty"`
	Reason      string    `json:"reason,omitempty"`
	EarlyReason string    `json:"early_reason,omitempty"`
}

// Phase is a phase of the notification to the AP.
type Phase string

const (
	PhaseInitial    Phase = "initial"
	PhaseSupplement Phase = "supplement"
	PhaseWithdrawal Phase = "withdrawal"
)

// InitialNotification returns the initial notification to the AP, or nil.
func (b *Breach) InitialNotification() *AuthorityNotification {
	for i := range b.AuthorityNotifications {
		if b.AuthorityNotifications[i].Phase == PhaseInitial {
			return &b.AuthorityNotifications[i]
		}
	}
	return nil
}

// RecordAuthorityNotification records a phase of the notification to the
// AP. An initial notification needs a decision to notify, and after the
// 72-hour deadline a reason for the delay (Art. 33(1)); a supplement or
// withdrawal needs an initial one before it; a withdrawal needs a reason and
// ends the phases. Errors: EFORBIDDEN, ENOTFOUND, ECONFLICT, EINVALID.
func (s *Service) RecordAuthorityNotification(ctx context.Context, a Actor, id string, req AuthorityNotificationRequest) (*Breach, error) {
	return s.triage(ctx, a, id, actNotify, func(b *Breach, now time.Time) error {
		n := AuthorityNotification{Phase: req.Phase, SubmittedAt: req.SubmittedAt.UTC(), Reference: strings.TrimSpace(req.Reference),
			Note: strings.TrimSpace(req.Note), DelayReason: strings.TrimSpace(req.DelayReason), Reason: strings.TrimSpace(req.Reason),
			EarlyReason: strings.TrimSpace(req.EarlyReason)}
		initial := b.InitialNotification()
		withdrawn := slices.ContainsFunc(b.AuthorityNotifications, func(x AuthorityNotification) bool { return x.Phase == PhaseWithdrawal })
		switch {
		case withdrawn:
			return Errorf(ECONFLICT, "De melding van datalek %s bij de Autoriteit Persoonsgegevens is ingetrokken.", b.Reference)
		case n.Phase == PhaseInitial && initial != nil:
			return Errorf(ECONFLICT, "Datalek %s is al gemeld (meldingsnummer %s); leg een aanvulling vast.", b.Reference, initial.Reference)
		case n.Phase == PhaseInitial && (b.DecisionInForce() == nil || !b.DecisionInForce().NotifyAuthority):
			return Errorf(ECONFLICT, "Het besluit over datalek %s is niet melden; leg eerst een besluit tot melden vast.", b.Reference)
		case (n.Phase == PhaseSupplement || n.Phase == PhaseWithdrawal) && initial == nil:
			return Errorf(ECONFLICT, "Datalek %s is nog niet gemeld bij de Autoriteit Persoonsgegevens.", b.Reference)
		}
		var p Problems
		switch {
		case !slices.Contains([]Phase{PhaseInitial, PhaseSupplement, PhaseWithdrawal}, n.Phase):
			p.Add("phase", "moet initial, supplement of withdrawal zijn")
		case n.Phase == PhaseInitial && n.SubmittedAt.After(b.AuthorityDue()) && n.DelayReason == "":
			p.Add("delay_reason", "is verplicht: de melding is gedaan na de 72-uurstermijn (%s); art. 33, eerste lid, AVG vraagt de redenen voor de vertraging",
				b.AuthorityDue().Format(time.RFC3339))
		case n.Phase == PhaseWithdrawal && n.Reason == "":
			p.Add("reason", "is verplicht bij een intrekking")
		}
		switch {
		case req.SubmittedAt.IsZero():
			p.Add("submitted_at", "is verplicht")
		case n.SubmittedAt.After(now.Add(ClockSkew)):
			p.Add("submitted_at", "ligt in de toekomst")
		case n.SubmittedAt.Before(b.Began()):
			p.Add("submitted_at", "ligt voor het begin van het datalek (%s)", b.Began().Format(time.RFC3339))
		case n.SubmittedAt.Before(b.ReceivedAt) && n.EarlyReason == "":
			p.Add("early_reason", "is verplicht: de melding aan de Autoriteit Persoonsgegevens is gedaan voor de melding van de verwerker binnenkwam (%s)",
				b.ReceivedAt.Format(time.RFC3339))
		}
		text(&p, "early_reason", n.EarlyReason, maxText, false)
		line(&p, "reference", n.Reference, maxShort, true)
		text(&p, "note", n.Note, maxText, false)
		text(&p, "delay_reason", n.DelayReason, maxText, false)
		text(&p, "reason", n.Reason, maxText, false)
		if err := p.Err("De melding aan de Autoriteit Persoonsgegevens is niet volledig of niet geldig."); err != nil {
			return err
		}
		n.Seq, n.RecordedAt, n.By = len(b.AuthorityNotifications)+1, now, a.Label()
		b.AuthorityNotifications = append(b.AuthorityNotifications, n)
		b.recordAdded(now, a, ActionAuthorityNotification, n.Note, "authority_notifications", n)
		s.mailbox(b, NoticeNotification, now, a, func(x *Notice) { x.Notification = &n })
		return nil
	})
}

// DraftSource returns what the documents for the outside world (the AP's
// notification form, the letter to the people affected) are drafted from:
// the breach with its deliberation, for staff, and the moment to draft them
// at. Errors: EFORBIDDEN, ENOTFOUND.
func (s *Service) DraftSource(ctx context.Context, a Actor, id string) (*Breach, time.Time, error) {
	b, err := s.FindStaffBreach(ctx, a, id)
	if err != nil {
		return nil, time.Time{}, err
	}
	return b, s.now(), nil
}

// Began is when the breach began: when it started, as far as known, else
// when it was detected. Nothing recorded about it can be earlier.
func (b *Breach) Began() time.Time {
	if b.Report.StartedAt != nil {
		return *b.Report.StartedAt
	}
	return b.Report.DetectedAt
}
