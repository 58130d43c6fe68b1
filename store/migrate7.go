package store

import (
	"datalek/breach"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// migrateSubjectsClock (6 → 7) starts the clock of every open breach decided
// to inform the people affected before that clock existed (layout 5 and
// before), which therefore has none running; the layout-6 migration did not
// start it. Start-up reschedules by the configured period.
func migrateSubjectsClock(tx *bolt.Tx) error {
	breaches := tx.Bucket(bucketBreaches)
	var started []*breach.Breach
	err := breaches.ForEach(func(k, v []byte) error {
		var b breach.Breach
		if err := getJSON(v, &b); err != nil {
			return fmt.Errorf("breach %s: %w", k, err)
		}
		if b.StartSubjectsClock(breach.DefaultSchedule()) {
			started = append(started, &b)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, b := range started { // not inside ForEach: bbolt forbids writing while iterating
		if err := putJSON(breaches, []byte(b.ID), b); err != nil {
			return err
		}
		if err := moveEntries(tx.Bucket(bucketAlerts), b.ID, nil, b.NextAlerts()); err != nil {
			return err
		}
	}
	return nil
}
