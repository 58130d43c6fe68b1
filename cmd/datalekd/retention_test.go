package main

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/breach"
	"datalek/breach/breachtest"
)

func TestRetentionSettings(t *testing.T) {
	cfg, err := ParseConfig(nil, env(nil), nil)
	require.NoError(t, err)
	assert.Equal(t, breach.Retention{Personal: breach.Period{Years: 3}, Record: breach.Period{Years: 5}}, cfg.Retention.Periods)
	assert.Equal(t, DefaultRetentionSchedule, cfg.Retention.Schedule)

	cfg, err = ParseConfig(nil, env(map[string]string{"DATALEK_RETENTION_PERSONAL": "0", "DATALEK_RETENTION_RECORD": "730d"}), nil)
	require.NoError(t, err)
	assert.Equal(t, breach.Retention{Record: breach.Period{Duration: 730 * 24 * time.Hour}}, cfg.Retention.Periods)

	for vars, want := range map[[2]string]string{
		{"DATALEK_RETENTION_PERSONAL", "drie jaar"}:  "-retention-personal",
		{"DATALEK_RETENTION_RECORD", "2y"}:           "-retention-record",
		{"DATALEK_RETENTION_SCHEDULE", "elke nacht"}: "-retention-schedule",
		{"DATALEK_RETENTION_PERSONAL", "-1h"}:        "-retention-personal",
		{"DATALEK_RETENTION_RECORD", "1000y"}:        "-retention-record",
	} {
		_, err := ParseConfig(nil, env(map[string]string{vars[0]: vars[1]}), nil)
		require.Error(t, err, vars)
		assert.Contains(t, err.Error(), want, vars)
	}
}

// TestTheServiceAppliesRetention: the service's cron runs the retention
// policy on its schedule, by the service's clock: a breach closed six years
// before is deleted and in the retention log, one closed four years before
// keeps its register row without its reporter, the open one is untouched.
func TestTheServiceAppliesRetention(t *testing.T) {
	clock := newTestClock(saturday)
	m := startMainWith(t, t.TempDir(), clock, "-retention-schedule", "@every 1s")
	defer m.Close()
	ctx := context.Background()
	supplier := breach.Actor{TokenID: "tok-acme", Name: "acme", Role: breach.RoleSupplier, Organisation: "Acme BV"}
	adviser := breach.Actor{TokenID: "tok-adv", Name: "adviseur", Role: breach.RoleAdviser}
	fileAndClose := func() *breach.Breach {
		b, _, err := m.Service.FileBreach(ctx, supplier, breachtest.ExampleFiling(clock.Now()), "")
		require.NoError(t, err)
		_, err = m.Service.Close(ctx, adviser, b.ID, breach.CloseRequest{Outcome: breach.OutcomeNoBreach, Reason: "Geen persoonsgegevens"})
		require.NoError(t, err)
		return b
	}
	oldest := fileAndClose()
	clock.Advance(2 * 366 * 24 * time.Hour)
	old := fileAndClose()
	clock.Advance(4 * 366 * 24 * time.Hour)
	open, _, err := m.Service.FileBreach(ctx, supplier, breachtest.ExampleFiling(clock.Now()), "")
	require.NoError(t, err)

	deadline := time.Now().Add(10 * time.Second)
	var log []breach.RetentionEntry
	for len(log) == 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		log, err = m.DB.RetentionLog(ctx)
		require.NoError(t, err)
	}
	require.Len(t, log, 1, "a retention run within 10 s on @every 1s")
	assert.Equal(t, oldest.Reference, log[0].Reference)
	_, err = m.DB.FindBreach(ctx, breach.StaffScope(), oldest.ID)
	assert.Equal(t, breach.ENOTFOUND, breach.ErrorCode(err))
	require.Eventually(t, func() bool {
		b, err := m.DB.FindBreach(ctx, breach.StaffScope(), old.ID)
		return err == nil && b.Reporter == breach.Reporter{}
	}, 10*time.Second, 100*time.Millisecond)
	kept, err := m.DB.FindBreach(ctx, breach.StaffScope(), old.ID)
	require.NoError(t, err)
	assert.Equal(t, old.Reference, kept.Reference)
	assert.Equal(t, old.PersonalData, kept.PersonalData)
	untouched, err := m.DB.FindBreach(ctx, breach.StaffScope(), open.ID)
	require.NoError(t, err)
	assert.Equal(t, open.Reporter, untouched.Reporter)
	assert.NoError(t, m.DB.Check())
}
