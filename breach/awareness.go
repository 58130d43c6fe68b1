package breach

import (
	"context"
	"encoding/json"
	"strings"
	"time"
)

// Moving the start of the 72-hour clock, when the controller became aware
// before the first report.

// ActionAwarenessMoved is the trail entry of a moved start of the 72 hours.
const ActionAwarenessMoved Action = "breach.awareness_moved"

// AwarenessMove is one move of the start of the 72 hours, kept on the
// breach for the register: an inspector re-checks the deadline from it.
type AwarenessMove struct {
	From    time.Time `json:"from"`
	To      time.Time `json:"to"`
	Reason  string    `json:"reason"`
	MovedAt time.Time `json:"moved_at"`
	By      string    `json:"by"`
}

// AwarenessRequest moves the start of the 72-hour clock.
type AwarenessRequest struct {
	AwareAt time.Time `json:"aware_at"`
	Reason  string    `json:"reason"`
}

// MoveAwareness records that the controller became aware at another moment
// than the first report (a phone call, say), which moves the 72-hour
// deadline. The reason is mandatory and goes into the audit trail. The clock
// can only start earlier than the first report, never later: the report
// itself makes the controller aware. Errors: EFORBIDDEN, ENOTFOUND, EINVALID,
// ECONFLICT (closed).
func (s *Service) MoveAwareness(ctx context.Context, a Actor, id string, req AwarenessRequest) (*Breach, error) {
	if err := requireRole(a, RoleAdviser); err != nil {
		return nil, err
	}
	now := s.now()
	req.Reason = strings.TrimSpace(req.Reason)
	return s.update(ctx, a, id, func(b *Breach) error {
		if b.Status == StatusClosed {
			return Errorf(ECONFLICT, "Datalek %s heeft status %q en kan niet meer worden gewijzigd.", b.Reference, b.Status)
		}
		if n := b.InitialNotification(); n != nil {
			return Errorf(ECONFLICT, "Datalek %s heeft status %q en is op %s gemeld bij de Autoriteit Persoonsgegevens: de 72-uurstermijn waaraan die melding is getoetst, kan niet meer worden verplaatst.",
				b.Reference, b.Status, n.SubmittedAt.Format(time.RFC3339))
		}
		var p Problems
		switch {
		case req.AwareAt.IsZero():
			p.Add("aware_at", "is verplicht")
		case req.AwareAt.Year() < earliestDetect:
			p.Add("aware_at", "ligt voor %d", earliestDetect)
		case req.AwareAt.After(b.ReceivedAt):
			p.Add("aware_at", "ligt na de eerste melding (%s): met die melding nam de verwerkingsverantwoordelijke al kennis van het datalek",
				b.ReceivedAt.Format(time.RFC3339))
		case b.Report.StartedAt != nil && req.AwareAt.Before(*b.Report.StartedAt):
			p.Add("aware_at", "ligt voor het begin van het datalek (%s)", b.Report.StartedAt.Format(time.RFC3339))
		}
		text(&p, "reason", req.Reason, maxText, true)
		if err := p.Err("Het moment van kennisname kan zo niet worden verplaatst."); err != nil {
			return err
		}
		awareAt := req.AwareAt.UTC()
		if awareAt.Equal(b.AwareAt) {
			return nil
		}
		old, _ := json.Marshal(b.AwareAt)
		moved, _ := json.Marshal(awareAt)
		b.AwarenessMoves = append(b.AwarenessMoves, AwarenessMove{From: b.AwareAt, To: awareAt, Reason: req.Reason, MovedAt: now, By: a.Label()})
		b.AwareAt = awareAt
		b.record(now, a, ActionAwarenessMoved, req.Reason, []Change{{Field: "aware_at", Old: old, New: moved}})
		b.RestartAlerts(ClockAuthority, now, s.Schedule)
		s.mailbox(b, NoticeAwareness, now, a, func(n *Notice) { n.Reason = req.Reason })
		return nil
	})
}
