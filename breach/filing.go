package breach

import (
	"context"
	"encoding/json"
	"strings"
	"time"
)

// Filing a breach and following it up: the supplier's report, its
// corrections and its developments.

// Idempotency makes a retried filing return the first result. Keys are scoped
// to the supplier organisation (or, for staff, to the token), so one supplier
// cannot collide with another's keys.
type Idempotency struct {
	Scope       string    `json:"scope"`
	Key         string    `json:"key"`
	Fingerprint string    `json:"fingerprint"` // hash of the request, to refuse a reused key
	BreachID    string    `json:"breach_id"`
	CreatedAt   time.Time `json:"created_at"`
}

// FileBreach records a new breach as reported by the actor. A supplier files
// for its own organisation; staff file on a supplier's behalf and name it.
// idemKey, when not empty, makes a retry return the first result (replayed).
// Errors: EFORBIDDEN, EINVALID, ECONFLICT (key reused for another request).
func (s *Service) FileBreach(ctx context.Context, a Actor, f Filing, idemKey string) (b *Breach, replayed bool, err error) {
	if err := requireRole(a, reporters...); err != nil {
		return nil, false, err
	}
	now := s.now()
	f.normalise()
	p := f.problems(now)
	org := strings.TrimSpace(f.Organisation)
	switch {
	case a.Role == RoleSupplier && org != "" && org != a.Organisation:
		p.Add("organisation", "wordt bepaald door uw token; laat het weg")
	case a.Role == RoleSupplier:
		org = a.Organisation
	case org == "":
		p.Add("organisation", "is verplicht als u namens een verwerker meldt")
	}
	var official *Contact // Bijlage 3 §2: the contact official for the supplier's contract gets the report too
	if org != "" {
		switch o, err := s.Organisations.FindOrganisation(ctx, org); {
		case ErrorCode(err) == ENOTFOUND && a.Role != RoleSupplier:
			p.Add("organisation", "onbekende verwerker %q: leg de verwerker eerst vast", org)
		case err == nil:
			official = o.ContactOfficial
		case ErrorCode(err) != ENOTFOUND:
			return nil, false, err
		}
	}
	if len(idemKey) > 255 {
		p.Add("Idempotency-Key", "is te lang (hoogstens 255 tekens)")
	}
	if err := p.Err("De melding is niet volledig of niet geldig."); err != nil {
		return nil, false, err
	}

	b = &Breach{ID: NewID(), Organisation: org, Status: StatusNew, Stage: StagePreliminary,
		ReceivedAt: now, AwareAt: now, Report: f.Report, Updates: []Update{}}
	if len(b.MissingFields()) == 0 {
		b.Stage, b.CompletedAt = StageComplete, &now
	}
	filed, _ := json.Marshal(b.Report)
	b.record(now, a, ActionFiled, "", []Change{{Field: "report", Old: json.RawMessage("null"), New: filed}})
	b.RestartAlerts(ClockProcessor, now, s.Schedule)
	b.RestartAlerts(ClockAuthority, now, s.Schedule)
	b.Reschedule(s.Schedule)
	b.queue(AudienceMailbox, s.MailTo, Notice{ID: b.thread(AudienceMailbox), Kind: NoticeFiled, At: now, Actor: &a})
	if official != nil && official.Email != "" {
		b.queue(AudienceContactOfficial, []string{official.Email},
			Notice{ID: b.thread(AudienceContactOfficial), Kind: NoticeFiled, At: now, Actor: &a})
	}
	if b.reporterAudience() == AudienceReporter {
		b.queue(AudienceReporter, s.MailTo, Notice{ID: b.thread(AudienceReporter), Kind: NoticeAcknowledged, At: now, Actor: &a})
	}

	var idem *Idempotency
	if idemKey != "" {
		scope := "org:" + org
		if a.Role != RoleSupplier {
			scope = "token:" + a.TokenID
		}
		f.Organisation = org // naming one's own organisation or not is the same request
		canonical, _ := json.Marshal(f)
		idem = &Idempotency{Scope: scope, Key: idemKey, Fingerprint: hashHex(canonical), BreachID: b.ID, CreatedAt: now}
	}
	b, replayed, err = s.Breaches.CreateBreach(ctx, b, idem)
	if err == nil && !replayed {
		s.mailQueued()
	}
	return a.Side().Visible(b), replayed, err // a replay shows the breach as it stands now
}

// problems checks the whole filing; see Validate.
func (f *Filing) problems(now time.Time) Problems {
	var p Problems
	switch f.Stage {
	case "", StageComplete, StagePreliminary:
	default:
		p.Add("stage", "moet preliminary of complete zijn")
	}
	p = append(p, f.Report.problems(now, f.Stage != StagePreliminary)...)
	text(&p, "organisation", strings.TrimSpace(f.Organisation), maxShort, false)
	return p
}

// AmendBreach corrects or completes report fields. A preliminary report whose
// last missing fact arrives becomes complete, which fulfils the processor
// deadline. Errors: EFORBIDDEN, ENOTFOUND, EINVALID, ECONFLICT (closed).
func (s *Service) AmendBreach(ctx context.Context, a Actor, id string, patch ReportPatch) (*Breach, error) {
	return s.changeReport(ctx, a, id, patch, "")
}

// MaxUpdates bounds the developments of one breach, which its record
// carries: a breach with more is a matter for a phone call.
const MaxUpdates = 200

// UpdateRequest is a development after the first report (Article 9.2): a
// message and any report fields that changed.
type UpdateRequest struct {
	Message string `json:"message"`
	ReportPatch
}

// Validate checks what an update tells by itself: its message, and that it
// removes no field (ReportPatch.Validate). It returns an EINVALID *Error
// naming every offending field.
func (u *UpdateRequest) Validate() error {
	var p Problems
	u.Message = strings.TrimSpace(u.Message)
	text(&p, "message", u.Message, maxText, true)
	p = append(p, u.removals()...)
	return p.Err("De ontwikkeling is niet geldig.")
}

// AddUpdate records a development. Errors: as AmendBreach; EINVALID without a
// message.
func (s *Service) AddUpdate(ctx context.Context, a Actor, id string, u UpdateRequest) (*Breach, error) {
	if err := u.Validate(); err != nil {
		return nil, err
	}
	return s.changeReport(ctx, a, id, u.ReportPatch, u.Message)
}

// changeReport applies a patch and, with a message, records it as an update.
func (s *Service) changeReport(ctx context.Context, a Actor, id string, patch ReportPatch, message string) (*Breach, error) {
	if err := requireRole(a, reporters...); err != nil {
		return nil, err
	}
	now := s.now()
	return s.update(ctx, a, id, func(b *Breach) error {
		if b.Status == StatusClosed {
			return Errorf(ECONFLICT, "Datalek %s heeft status %q en kan niet meer worden gewijzigd.", b.Reference, b.Status)
		}
		r, changes := patch.apply(b.Report)
		p := patch.removals() // before the rules of what the emptied field would leave
		for _, f := range r.problems(now, b.Stage == StageComplete) {
			if !p.Has(f.Field) {
				p.Add(f.Field, "%s", f.Message)
			}
		}
		if patch.DetectedAt != nil && !patch.DetectedAt.Equal(b.DetectedAt) {
			p.Add("detected_at", "kan na de melding niet meer worden gewijzigd: het bepaalt de 24-uurstermijn; licht een correctie toe in een ontwikkeling")
		}
		if err := p.Err("De wijziging is niet geldig."); err != nil {
			return err
		}
		if len(changes) == 0 && message == "" {
			return nil // nothing changed: nothing to record
		}
		b.Report = r
		if b.Stage == StagePreliminary && len(r.MissingFields()) == 0 {
			b.Stage, b.CompletedAt = StageComplete, &now
			changes = append(changes, Change{Field: "stage", Old: json.RawMessage(`"preliminary"`), New: json.RawMessage(`"complete"`)})
		}
		notice := Notice{Kind: NoticeAmended, At: now, Actor: &a, Changes: changes}
		if message == "" {
			b.record(now, a, ActionAmended, "", changes)
		} else {
			fields := make([]string, len(changes))
			for i, c := range changes {
				fields[i] = c.Field
			}
			if len(b.Updates) >= MaxUpdates {
				return Errorf(ECONFLICT, "Datalek %s heeft status %q en al %d ontwikkelingen; neem contact op met de Adviseur Privacy.", b.Reference, b.Status, MaxUpdates)
			}
			u := Update{Seq: len(b.Updates) + 1, ReceivedAt: now, By: a.Label(), Message: message, ChangedFields: fields}
			b.Updates = append(b.Updates, u)
			b.record(now, a, ActionUpdated, message, changes)
			notice.Kind, notice.Update = NoticeUpdated, &u
		}
		notice.ID = b.noticeID(notice.Kind, "")
		b.queue(AudienceMailbox, s.MailTo, notice)
		return nil
	})
}
