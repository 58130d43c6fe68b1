package nl_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/breach"
	"datalek/breach/nl"
)

func TestRegisterColumnsAreDistinct(t *testing.T) {
	keys, headers := map[string]bool{}, map[string]bool{}
	for _, c := range nl.RegisterColumns {
		assert.NotEmpty(t, c.Key)
		assert.NotEmpty(t, c.Header, c.Key)
		assert.False(t, keys[c.Key], "key %q twice", c.Key)
		assert.False(t, headers[c.Header], "header %q twice", c.Header)
		keys[c.Key], headers[c.Header] = true, true
	}
}

// The JSON register keeps the score with a decimal point and the codes, as
// its contract says; the CSV register, for people, reads the score the Dutch
// way and every code by its Dutch name.
func TestRegisterRowAndText(t *testing.T) {
	cell := func(row []string, key string) string {
		t.Helper()
		for i, c := range nl.RegisterColumns {
			if c.Key == key {
				return row[i]
			}
		}
		require.Fail(t, "no column "+key)
		return ""
	}
	b := completeBreach(t)
	row, text := nl.RegisterRow(b, formNow), nl.RegisterText(b, formNow)
	require.Len(t, row, len(nl.RegisterColumns))
	require.Len(t, text, len(nl.RegisterColumns))
	assert.Equal(t, "4.25", cell(row, "severity_score"))
	assert.Equal(t, "4,25", cell(text, "severity_score"))
	dutch := map[string][2]string{ // the JSON register's code, and what the CSV register shows
		"processor_deadline": {"met", "gehaald"},
		"breach_types":       {"confidentiality", "vertrouwelijkheid"},
		"severity_level":     {"very_high", "zeer hoog"},
		"recommendation":     {"notify_authority_and_subjects", "melden bij de Autoriteit Persoonsgegevens en de betrokkenen informeren"},
		"risk":               {"high", "hoog risico"},
	}
	for key, want := range dutch {
		assert.Equal(t, want[0], cell(row, key), key)
		assert.Equal(t, want[1], cell(text, key), key)
	}
	for _, key := range []string{"reference", "title", "personal_data", "sent_items", "measures", "aware_at", "risk_reasoning"} {
		assert.Equal(t, cell(row, key), cell(text, key), "%s: no code, the same in both", key)
	}
	assert.Equal(t, "150", cell(text, "subjects_max"), "a number for the spreadsheet")
	assert.Equal(t, "Beschikking eigen bijdrage 2027, per post, 150 stuks; Herinnering, per e-mail, 30 stuks", cell(text, "sent_items"))
	assert.Equal(t, "besloten", cell(text, "status"))
	assert.Equal(t, "2026-11-18T11:00:00+01:00", cell(text, "aware_at"), "RFC 3339 in Europe/Amsterdam")

	prelim := nl.RegisterText(preliminaryBreach(), formNow)
	assert.Empty(t, cell(prelim, "severity_score"), "no assessment yet")
	assert.Empty(t, cell(prelim, "sent_items"), "not given yet")
}

// An inspector re-checks the register: every assessment with its inputs,
// and every move of the 72 hours with its reason (issue 9).
func TestRegisterCanBeRechecked(t *testing.T) {
	b := completeBreach(t)
	first := b.Assessments[0]
	second := first
	second.Seq, second.DPC, second.DPCAdjustments = 2, 3, []breach.DPCAdjustment{{Factor: breach.FactorPublic, Change: -1, Reason: "Stond al online"}}
	b.Assessments = append(b.Assessments, second)
	b.AwarenessMoves = []breach.AwarenessMove{{From: formAt(-50), To: formAt(-60), Reason: "Telefonisch gemeld op vrijdag", MovedAt: formAt(-40), By: "adviseur (adviser)"}}
	text := nl.RegisterText(b, formNow)
	cell := func(key string) string {
		for i, c := range nl.RegisterColumns {
			if c.Key == key {
				return text[i]
			}
		}
		t.Fatalf("no column %s", key)
		return ""
	}
	all := cell("assessments")
	assert.Equal(t, 2, strings.Count(all, "door de Adviseur Privacy (token Adviseur):"), "both assessments, by whom in Dutch: %s", all)
	assert.Contains(t, all, "DPC 4, standaard 4;")
	assert.Contains(t, all, "DPC 3, standaard 4; aanpassingen: al openbare gegevens -1: Stond al online;")
	assert.Contains(t, all, "EI maximaal; vertrouwelijkheid beperkt (bekende, beperkte ontvangers); integriteit geen")
	assert.Contains(t, cell("awareness_moves"), "van 2026-11-18T11:00:00+01:00 naar 2026-11-18T01:00:00+01:00 "+
		"door de Adviseur Privacy (token adviseur); reden: Telefonisch gemeld op vrijdag")
	assert.Equal(t, "2026-11-19T12:00:00+01:00 door de verwerkingsverantwoordelijke (token Controller): melden bij AP: ja; "+
		"betrokkenen informeren: ja; onderbouwing: Brief aan alle 150 ontvangers", cell("decisions"))

	assert.Equal(t, "eerste melding 2026-11-19T17:00:00+01:00, meldingsnummer M-2026-98765, vastgelegd door de verwerkingsverantwoordelijke (token Controller)",
		cell("authority_notifications"))
	assert.Equal(t, "ja", cell("special_categories"), "criminal data")
	b.Assessments[1].BreachTypes = []breach.BreachType{breach.TypeAvailability}
	b.Assessments[1].CB = breach.Circumstances{Confidentiality: "none", Integrity: "none", Availability: "temporary"}
	b.PersonalData = []string{"naam", "spraakdata"}
	b.Assessments[1].APFacts = &breach.APFacts{SpecialData: new(true)}
	b.AuthorityNotifications[0].Note = "Via het formulier (zie bijlage 2)"
	text = nl.RegisterText(b, formNow)
	assert.Contains(t, cell("assessments"), "vertrouwelijkheid geen;", "ransomware without exfiltration exposed nothing")
	assert.Equal(t, "ja", cell("special_categories"), "as the adviser established it for the call recordings, as the AP form says")
	assert.Contains(t, cell("authority_notifications"), "; toelichting: Via het formulier (zie bijlage 2)")
	assert.Contains(t, cell("assessments"), "; feiten voor de AP: bijzondere gegevens: ja", "the facts the AP form was answered from")
	b.SubjectCommunications = []breach.SubjectCommunication{{SentAt: formAt(-3), Channel: breach.SubjectLetter, Reached: 2, Text: "Beste heer,\nHet spijt ons.", By: "cak-vv (controller)"}}
	text = nl.RegisterText(b, formNow)
	assert.Contains(t, cell("subject_communications"), "per brief, 2 betrokkenen, vastgelegd door de verwerkingsverantwoordelijke (token cak-vv); tekst: Beste heer, Het spijt ons.")

	b.Decisions[0].InformSubjects, b.Decisions[0].SubjectsExemption = breach.InformNo, breach.ExemptionUnintelligible
	b.Closure = &breach.Closure{Outcome: breach.OutcomeHandled, Reason: "Afgehandeld", ClosedAt: formAt(-1), By: "cak-vv (controller)"}
	text = nl.RegisterText(b, formNow)
	assert.Contains(t, cell("decisions"), "betrokkenen informeren: nee; uitzondering: de gegevens zijn onbegrijpelijk voor onbevoegden")
	assert.Equal(t, "de verwerkingsverantwoordelijke (token cak-vv)", cell("closed_by"))
	for i, c := range text {
		depth, deepest := 0, 0
		for _, r := range c {
			if r == '(' {
				depth++
			} else if r == ')' {
				depth--
			}
			deepest = max(deepest, depth)
		}
		assert.LessOrEqual(t, deepest, 1, "%s: no parentheses within parentheses: %s", nl.RegisterColumns[i].Key, c)
	}
}
