package notify_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"datalek/breach"
)

// The digest carries each open breach's anchored chain head as a line that
// datalekd verify -heads reads back, or says that the heads are not anchored.
func TestDigestCarriesChainHeads(t *testing.T) {
	at := time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)
	b := &breach.Breach{ID: "b1", Reference: "DL-2026-K7QM4", Organisation: "Acme BV", Status: breach.StatusNew, Stage: breach.StagePreliminary,
		ReceivedAt: at.Add(-time.Hour), AwareAt: at.Add(-time.Hour), Version: 3, TrailHash: "abc", Report: breach.Report{Title: "Brieven", DetectedAt: at.Add(-2 * time.Hour)}}
	head := breach.Head([]byte("a key outside the database"), b)
	_, text := composed(t, breach.Notice{ID: "digest.2026-11-23", Kind: breach.NoticeDigest, Audience: breach.AudienceMailbox,
		To: []string{"x@example.org"}, At: at, Breaches: []*breach.Breach{b}, Heads: []breach.ChainHead{head}})
	assert.Contains(t, text, "\nDL-2026-K7QM4 3 "+head.Anchor+"\r\n")
	assert.Len(t, head.Anchor, breach.AnchorLen)

	_, text = composed(t, breach.Notice{ID: "digest.2026-11-23", Kind: breach.NoticeDigest, Audience: breach.AudienceMailbox,
		To: []string{"x@example.org"}, At: at, Breaches: []*breach.Breach{b}})
	assert.Contains(t, text, "niet verankerd")
	assert.NotContains(t, text, "DL-2026-K7QM4 3 ")
}
