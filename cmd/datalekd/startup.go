package main

// This file holds what keeps start-up independent of the history on file:
// the running clocks are rescheduled only when what their alerts are
// computed from changed (bbolt's check of every page is left out after a
// clean shutdown: store.OpenDeferCheck).

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"datalek/breach"
	"datalek/store"
)

// reschedule brings every running clock's next alert in line with the
// configured schedule, only when the schedule (or the layout, or the rules
// of alertRules) differs from the one they were last computed with: the
// alert index is durable, so a start with an unchanged configuration writes
// nothing and costs nothing however many breaches are on file.
func (m *Main) reschedule(ctx context.Context) error {
	fp, err := scheduleFingerprint(m.Service.Schedule)
	if err != nil {
		return fmt.Errorf("reschedule: %w", err)
	}
	stored, err := m.DB.ScheduleFingerprint()
	if err != nil || stored == fp {
		return err
	}
	started := time.Now()
	n, err := m.Service.Reschedule(ctx)
	if err != nil {
		return fmt.Errorf("reschedule: %w", err)
	}
	if err := m.DB.SetScheduleFingerprint(fp); err != nil { // after: a crash between reschedules again
		return fmt.Errorf("reschedule: %w", err)
	}
	m.Logger.Info("alert schedule changed: running clocks rescheduled", "breaches", n, "took", time.Since(started).Round(time.Millisecond))
	return nil
}

// alertRules names the version of breach's rules that compute a clock's
// next alert; change it with those rules, so that the first start of the
// new code reschedules every running clock.
const alertRules = "1"

// scheduleFingerprint identifies what a running clock's next alert is
// computed from: the configured schedule, the layout and alertRules.
func scheduleFingerprint(s breach.Schedule) (string, error) {
	data, err := json.Marshal(s)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(fmt.Appendf(nil, "layout %d rules %s schedule %s", store.LayoutVersion, alertRules, data))
	return hex.EncodeToString(sum[:]), nil
}
