package breach

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Closing a breach: handled, or no breach at all.

// ActionClosed is the trail entry of closing a breach.
const ActionClosed Action = "breach.closed"

// NoticeClosed is the mail saying that the breach was closed.
const NoticeClosed NoticeKind = "closed"

// Closure is how a breach was closed.
type Closure struct {
	Outcome  Outcome   `json:"outcome"`
	Reason   string    `json:"reason,omitempty"`
	ClosedAt time.Time `json:"closed_at"`
	By       string    `json:"by"`
}

// CloseRequest closes a breach.
type CloseRequest struct {
	Outcome Outcome `json:"outcome"`
	Reason  string  `json:"reason,omitempty"`
}

// Outcome is how a breach was closed.
type Outcome string

const (
	OutcomeHandled  Outcome = "handled"   // decided and dealt with
	OutcomeNoBreach Outcome = "no_breach" // no personal-data breach after all
)

// Close closes a breach, with a reason: as handled once decided, or as no
// breach at all before a decision. It stays in the register either way.
// Errors: EFORBIDDEN, ENOTFOUND, ECONFLICT, EINVALID.
func (s *Service) Close(ctx context.Context, a Actor, id string, req CloseRequest) (*Breach, error) {
	// The role first (triage checks it again): a wrong role is 403 whatever the body.
	if err := requireRole(a, actCloseDone.roles...); err != nil {
		return nil, err
	}
	act := actCloseDone
	var p Problems
	switch req.Outcome {
	case OutcomeHandled:
	case OutcomeNoBreach:
		act = actCloseNone
	default:
		p.Add("outcome", "moet handled of no_breach zijn")
	}
	reason := strings.TrimSpace(req.Reason)
	text(&p, "reason", reason, maxText, true) // the register shows why, however it was closed (issue 9)
	if err := p.Err("Het afsluiten is niet geldig."); err != nil {
		return nil, err
	}
	if req.Outcome == OutcomeNoBreach { // a notification withdrawn because it was no breach after all
		act.statuses = append(slices.Clone(act.statuses), StatusDecided)
	}
	return s.triage(ctx, a, id, act, func(b *Breach, now time.Time) error {
		withdrawn := slices.ContainsFunc(b.AuthorityNotifications, func(x AuthorityNotification) bool { return x.Phase == PhaseWithdrawal })
		switch d := b.DecisionInForce(); {
		case req.Outcome == OutcomeNoBreach && b.Status == StatusDecided && !withdrawn:
			return Errorf(ECONFLICT, "Datalek %s heeft status %q: afsluiten als geen datalek kan na een besluit alleen als de melding bij de Autoriteit Persoonsgegevens is ingetrokken.", b.Reference, b.Status)
		case req.Outcome == OutcomeHandled && d != nil && d.NotifyAuthority && b.InitialNotification() == nil:
			return Errorf(ECONFLICT, "Datalek %s heeft status %q: het besluit is melden bij de Autoriteit Persoonsgegevens, maar er is geen melding vastgelegd; leg die eerst vast of wijzig het besluit.", b.Reference, b.Status)
		case req.Outcome == OutcomeHandled && b.communicationDue() && len(b.SubjectCommunications) == 0:
			return Errorf(ECONFLICT, "Datalek %s heeft status %q: het besluit is de betrokkenen te informeren (of met een openbare mededeling), maar er is geen bericht aan hen vastgelegd; leg dat eerst vast of wijzig het besluit.", b.Reference, b.Status)
		}
		b.Closure = &Closure{Outcome: req.Outcome, Reason: reason, ClosedAt: now, By: a.Label()}
		b.recordAdded(now, a, ActionClosed, reason, "closure", b.Closure)
		b.setStatus(now, a, StatusClosed)
		s.mailbox(b, NoticeClosed, now, a, nil)
		return nil
	})
}
