package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/robfig/cron/v3"

	"datalek/breach"
)

// Default retention after a breach is closed (README, "Retention"): BIO asks
// that an incident and what is needed to analyse it be kept at least three
// years, and no longer than needed, so the reporter's contact details and
// the free texts go after three years; the register's facts stay two years
// more, for an objection or a question of the AP about an older breach.
const (
	DefaultRetentionPersonal = "3y"
	DefaultRetentionRecord   = "5y"
	DefaultRetentionSchedule = "CRON_TZ=Europe/Amsterdam 30 3 * * *"
)

// RetentionConfig is when the retention policy runs and what it keeps.
type RetentionConfig struct {
	Periods  breach.Retention
	Schedule string
}

// retentionSettings say how long closed breaches keep their personal data
// and their record (DATALEK_RETENTION_PERSONAL, DATALEK_RETENTION_RECORD),
// and when the service applies that (DATALEK_RETENTION_SCHEDULE).
type retentionSettings struct{ personal, record, schedule string }

func (s *retentionSettings) settings() []setting {
	return []setting{
		{"retention-personal", "DATALEK_RETENTION_PERSONAL", DefaultRetentionPersonal, "how long after closing a breach keeps the reporter's contact details and its free texts (cause, measures, developments, answers, texts to the people affected): 3y, 90d, 720h; 0: for ever", &s.personal},
		{"retention-record", "DATALEK_RETENTION_RECORD", DefaultRetentionRecord, "how long after closing a breach is kept at all, its trail, mails and register row included; 0: for ever", &s.record},
		{"retention-schedule", "DATALEK_RETENTION_SCHEDULE", DefaultRetentionSchedule, "robfig/cron spec of the retention run", &s.schedule},
	}
}

// config reads the settings into c; check names a bad one.
func (s *retentionSettings) config(c *Config, check func(*string, error) error) error {
	var errs []error
	for _, d := range []struct {
		src *string
		dst *breach.Period
	}{{&s.personal, &c.Retention.Periods.Personal}, {&s.record, &c.Retention.Periods.Record}} {
		p, err := breach.ParsePeriod(*d.src)
		*d.dst = p
		errs = append(errs, check(d.src, err))
	}
	if err := c.Retention.Periods.Validate(time.Now()); err != nil {
		errs = append(errs, check(&s.record, errors.New("is shorter than -retention-personal")))
	}
	c.Retention.Schedule = s.schedule
	_, err := cron.ParseStandard(s.schedule)
	return errors.Join(append(errs, check(&s.schedule, err))...)
}

// scheduleRetention gives the service its retention policy and runs it on
// its schedule. It does not run at start-up, so that start-up stays as fast
// as the history is long.
func (m *Main) scheduleRetention() error {
	m.Service.Retention = m.Config.Retention.Periods
	if _, err := m.cron.AddFunc(m.Config.Retention.Schedule, m.retain); err != nil {
		return fmt.Errorf("retention schedule: %w", err)
	}
	return nil
}

// retain applies the retention policy and logs what it did: every whole
// record deleted is also in the store's retention log.
func (m *Main) retain() {
	began, since := time.Now(), m.Service.Now().UTC().Round(0)
	purged, deleted, err := m.Service.Retain(context.Background())
	if err != nil {
		m.Logger.Error("retention", "err", err, "purged", purged, "deleted", deleted)
	}
	if deleted > 0 {
		log, err := m.DB.RetentionLog(context.Background())
		if err != nil {
			m.Logger.Error("retention log", "err", err)
		}
		for _, e := range log {
			if !e.DeletedAt.Before(since) {
				m.Logger.Info("breach deleted after its retention period", "reference", e.Reference, "breach", e.BreachID,
					"organisation", e.Organisation, "closed_at", e.ClosedAt.Format(time.RFC3339), "deleted_at", e.DeletedAt.Format(time.RFC3339))
			}
		}
	}
	if err != nil {
		return
	}
	if purged > 0 || deleted > 0 {
		m.Logger.Info("retention applied", "personal_data_purged", purged, "records_deleted", deleted,
			"took", time.Since(began).Round(time.Millisecond))
	}
}
