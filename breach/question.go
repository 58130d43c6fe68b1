package breach

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Questions of the adviser to the supplier, each with its own alert clock.

// Trail entries of questions to the supplier.
const (
	ActionQuestionAsked    Action = "question.asked"
	ActionQuestionAnswered Action = "question.answered"
)

// Mails of questions: the question, and the supplier's answer.
const (
	NoticeQuestion NoticeKind = "question"
	NoticeAnswer   NoticeKind = "answer"
)

// Question is a question of the adviser to the supplier, with its answer.
type Question struct {
	ID         string     `json:"id"`
	Question   string     `json:"question"`
	AskedAt    time.Time  `json:"asked_at"`
	AskedBy    string     `json:"asked_by"`
	DueAt      time.Time  `json:"due_at"`
	Answer     string     `json:"answer,omitempty"`
	AnsweredAt *time.Time `json:"answered_at,omitempty"`
	AnsweredBy string     `json:"answered_by,omitempty"`
	Alerting   AlertState `json:"alerting"`
}

// QuestionRequest asks the supplier something; DueAt defaults to 24 hours.
type QuestionRequest struct {
	Question string     `json:"question"`
	DueAt    *time.Time `json:"due_at,omitempty"`
}

// AnswerRequest is the supplier's answer.
type AnswerRequest struct {
	Answer string `json:"answer"`
}

// How long a supplier has to answer: by default, and at most.
const (
	DefaultQuestionWindow = 24 * time.Hour
	MaxQuestionWindow     = 90 * 24 * time.Hour
)

// OpenQuestions returns the questions not answered yet.
func (b *Breach) OpenQuestions() []Question {
	var open []Question
	for _, q := range b.Questions {
		if q.AnsweredAt == nil {
			open = append(open, q)
		}
	}
	return open
}

// Ask puts a question to the supplier, due in 24 hours unless given; a new
// breach is taken into triage. The question goes to the reporter (the
// mailbox too). Errors: EFORBIDDEN, ENOTFOUND, ECONFLICT, EINVALID.
func (s *Service) Ask(ctx context.Context, a Actor, id string, req QuestionRequest) (*Breach, *Question, error) {
	var asked *Question
	b, err := s.triage(ctx, a, id, actAsk, func(b *Breach, now time.Time) error {
		var p Problems
		q := Question{ID: fmt.Sprintf("q%d", len(b.Questions)+1), Question: strings.TrimSpace(req.Question), AskedAt: now,
			AskedBy: a.Label(), DueAt: now.Add(DefaultQuestionWindow)}
		text(&p, "question", q.Question, maxText, true)
		if req.DueAt != nil {
			q.DueAt = req.DueAt.UTC()
			switch {
			case !q.DueAt.After(now):
				p.Add("due_at", "moet in de toekomst liggen")
			case q.DueAt.After(now.Add(MaxQuestionWindow)):
				p.Add("due_at", "ligt te ver weg (hoogstens %d dagen)", int(MaxQuestionWindow/(24*time.Hour)))
			}
		}
		if err := p.Err("De vraag is niet geldig."); err != nil {
			return err
		}
		q.Alerting.AlertedUntil = now
		b.Questions = append(b.Questions, q)
		b.recordAdded(now, a, ActionQuestionAsked, q.Question, "questions."+q.ID, q)
		if b.Status == StatusNew {
			b.setStatus(now, a, StatusTriage)
		}
		asked = &b.Questions[len(b.Questions)-1]
		if b.reporterAudience() == AudienceReporter { // a mail of its own: a refused address must not hold up the mailbox's
			s.mailbox(b, NoticeQuestion, now, a, func(n *Notice) { n.Question = asked })
			b.queue(AudienceReporter, s.MailTo, Notice{ID: b.noticeID(NoticeQuestion, ".reporter"), Kind: NoticeQuestion,
				At: now, Actor: &a, Question: asked})
		} else { // the mailbox's mail is to be passed on to the reporter
			b.queue(AudienceMailboxForReporter, s.MailTo, Notice{ID: b.noticeID(NoticeQuestion, ""), Kind: NoticeQuestion,
				At: now, Actor: &a, Question: asked})
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return b, asked, nil
}

// Answer records the supplier's answer to one of its breach's questions.
// Errors: EFORBIDDEN, ENOTFOUND, ECONFLICT (answered already, or closed),
// EINVALID.
func (s *Service) Answer(ctx context.Context, a Actor, id, qid string, req AnswerRequest) (*Breach, *Question, error) {
	var answered *Question
	b, err := s.triage(ctx, a, id, actAnswer, func(b *Breach, now time.Time) error {
		i := slices.IndexFunc(b.Questions, func(q Question) bool { return q.ID == qid })
		if i < 0 {
			return Errorf(ENOTFOUND, "Vraag %q bestaat niet bij datalek %s.", qid, b.Reference)
		}
		q := &b.Questions[i]
		if q.AnsweredAt != nil {
			return Errorf(ECONFLICT, "Vraag %q is al beantwoord op %s; stuur aanvullingen als ontwikkeling.", qid, q.AnsweredAt.Format(time.RFC3339))
		}
		var p Problems
		answer := strings.TrimSpace(req.Answer)
		text(&p, "answer", answer, maxText, true)
		if err := p.Err("Het antwoord is niet geldig."); err != nil {
			return err
		}
		q.Answer, q.AnsweredAt, q.AnsweredBy = answer, &now, a.Label()
		b.recordAdded(now, a, ActionQuestionAnswered, "", "questions."+qid+".answer", answer)
		s.mailbox(b, NoticeAnswer, now, a, func(n *Notice) { n.Question = q })
		answered = q
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return b, answered, nil
}

// ListQuestions returns a breach's questions, or only those not answered
// yet. Errors: EFORBIDDEN, ENOTFOUND.
func (s *Service) ListQuestions(ctx context.Context, a Actor, id string, openOnly bool) ([]Question, error) {
	b, err := s.FindBreach(ctx, a, id)
	switch {
	case err != nil:
		return nil, err
	case openOnly:
		return b.OpenQuestions(), nil
	}
	return b.Questions, nil
}
