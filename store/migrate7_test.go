package store_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"

	"datalek/breach"
	"datalek/store"
)

// A breach decided, before layout 6, to inform the people affected had no
// clock for it, and the migration to layout 6 did not start one; the
// migration to layout 7 starts it at the decision, so that the
// privacy mailbox is alerted when nobody was told, as for a decision taken
// after it. A breach decided not to inform, or closed, gets no clock.
func TestMigrateLayout6To7(t *testing.T) {
	path := filepath.Join(t.TempDir(), "datalek.db")
	db, err := store.Open(path)
	require.NoError(t, err)
	svc, c := newService(db)
	controller := breach.Actor{TokenID: "tok-ctl", Name: "verantwoordelijke", Role: breach.RoleController}
	decide := func(title string, inform breach.InformSubjects) *breach.Breach {
		b := file(t, svc, supplier("Acme BV"), filing(title, start.Add(-time.Hour)))
		_, err := svc.Assess(ctx, adviser, b.ID, breach.AssessmentRequest{BreachTypes: []breach.BreachType{breach.TypeConfidentiality},
			EI: "maximum", CB: breach.Circumstances{Confidentiality: "wide", Integrity: "none", Availability: "none"},
			Consequences: "Online", Risk: breach.RiskHigh, Reasoning: "Openbaar", DeviationReason: "Openbaar"})
		require.NoError(t, err)
		d := breach.DecisionRequest{NotifyAuthority: ptr(false), AuthorityReasoning: "Geen", InformSubjects: inform}
		if inform == breach.InformNo {
			d.SubjectsExemption, d.SubjectsReasoning = breach.ExemptionUnintelligible, "Versleuteld"
		}
		_, err = svc.Decide(ctx, controller, b.ID, d)
		require.NoError(t, err)
		return b
	}
	c.t = start.Add(2 * time.Hour)
	decided := c.t
	informed, planned, notInformed := decide("ja", breach.InformYes), decide("gepland", breach.InformPlanned), decide("nee", breach.InformNo)

	require.NoError(t, db.Bolt().Update(func(tx *bolt.Tx) error { // a breach migrated to layout 6 has no clock of the people affected
		if err := store.DecompressRecords(tx); err != nil {
			return err
		}
		err := rewriteJSON(tx.Bucket([]byte("breaches")), func(m map[string]json.RawMessage) error {
			var alerting map[string]json.RawMessage
			if err := json.Unmarshal(m["alerting"], &alerting); err != nil {
				return err
			}
			delete(alerting, "subjects")
			data, err := json.Marshal(alerting)
			m["alerting"] = data
			return err
		})
		if err != nil {
			return err
		}
		alerts := tx.Bucket([]byte("alerts"))
		var subjects [][]byte
		require.NoError(t, alerts.ForEach(func(k, _ []byte) error {
			if strings.HasSuffix(string(k), "/subjects") {
				subjects = append(subjects, k)
			}
			return nil
		}))
		require.Len(t, subjects, 2, "the test starts from the two clocks a decision to inform starts")
		for _, k := range subjects {
			if err := alerts.Delete(k); err != nil {
				return err
			}
		}
		return tx.Bucket([]byte("meta")).Put([]byte("layout_version"), []byte("6"))
	}))
	require.NoError(t, db.Close())

	db, err = store.Open(path) // migrates
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, db.Check())
	assertLayoutVersion(t, db, store.LayoutVersion)
	svc, c = newService(db)
	subjectsAlerts := func(b *breach.Breach) int { return alertsRaised(t, svc, b.ID, breach.AlertSubjectsOverdue) }
	c.t = decided.Add(72*time.Hour - time.Minute)
	_, err = svc.Sweep(ctx)
	require.NoError(t, err)
	assert.Zero(t, subjectsAlerts(informed), "the clock runs from the decision, not from the migration")
	c.t = decided.Add(10 * 24 * time.Hour) // the service was down for days
	_, err = svc.Sweep(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, subjectsAlerts(informed), "one alert, however long ago the period ended")
	assert.Equal(t, 1, subjectsAlerts(planned))
	assert.Zero(t, subjectsAlerts(notInformed))
}
