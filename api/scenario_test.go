package api_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/breach/breachtest"
	"datalek/breach/nl"
)

// registerRows reads the CSV register back: one map per breach, by header.
func registerRows(t *testing.T, w *workflow, query string) []map[string]string {
	t.Helper()
	res := w.do("GET", "/api/v1/register?format=csv"+query, w.tokens["adviser"], nil)
	require.Equal(t, http.StatusOK, res.Status, "%s", res.Body)
	assert.Equal(t, "text/csv; charset=utf-8", res.Header.Get("Content-Type"))
	body, ok := bytes.CutPrefix(res.Body, []byte("\ufeff"))
	require.True(t, ok, "UTF-8 byte order mark for spreadsheets")
	r := csv.NewReader(bytes.NewReader(body))
	r.Comma = ';'
	records, err := r.ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, records)
	headers := records[0]
	require.Len(t, headers, len(nl.RegisterColumns))
	var rows []map[string]string
	for _, rec := range records[1:] {
		row := map[string]string{}
		for i, col := range nl.RegisterColumns {
			assert.Equal(t, col.Header, headers[i])
			row[col.Key] = rec[i]
		}
		rows = append(rows, row)
	}
	return rows
}

func rowOf(rows []map[string]string, id string) map[string]string {
	for _, r := range rows {
		if r["id"] == id {
			return r
		}
	}
	return nil
}

// Scenarios in the spirit of the EDPB's examples of breach notification
// (Guidelines 01/2021), each from filing to its register row.
func TestScenarios(t *testing.T) {
	w := newWorkflow(t)
	report := func(change func(r map[string]any)) map[string]any {
		r := exampleReport(w.Now)
		change(r)
		return r
	}

	// 1. A letter with health data sent to the wrong address.
	letter := w.must("supplier", "POST", "/api/v1/breaches", report(func(r map[string]any) {
		r["title"] = "Brief met zorgindicatie naar verkeerd adres"
		r["personal_data"] = []string{"naam", "adres", "gezondheidsgegevens"}
		r["subjects_min"], r["subjects_max"] = 1, 1
		r["sent_items"] = []map[string]any{{"description": "Brief over Wlz-indicatie", "channel": "post", "count": 1}}
		r["item_disposition"] = "unknown"
	}))["id"].(string)
	lp := "/api/v1/breaches/" + letter
	q := w.must("adviser", "POST", lp+"/questions", map[string]any{"question": "Heeft de ontvanger de brief teruggestuurd?"})
	assert.Len(t, w.must("supplier", "GET", lp+"/questions?open=true", nil)["items"], 1, "the supplier sees its open question")
	w.must("supplier", "POST", lp+"/questions/"+q["id"].(string)+"/answer", map[string]any{"answer": "Nee, de ontvanger reageert niet."})
	assert.Empty(t, w.must("supplier", "GET", lp+"/questions?open=true", nil)["items"])
	assert.Len(t, w.must("adviser", "GET", lp+"/questions", nil)["items"], 1)
	res := w.do("POST", lp+"/questions/"+q["id"].(string)+"/answer", w.tokens["supplier"], map[string]any{"answer": "Nog eens"})
	assert.Equal(t, http.StatusConflict, res.Status, "answered once")
	as := w.must("adviser", "POST", lp+"/assessments", map[string]any{
		"breach_types": []string{"confidentiality"}, "ei": "significant",
		"cb":           map[string]any{"confidentiality": "limited", "integrity": "none", "availability": "none", "malicious": false},
		"consequences": "Een onbekende buurman kent de zorgsituatie van de betrokkene", "risk": "high",
		"reasoning": "Gezondheidsgegevens bij een bekende maar niet-gerechtigde ontvanger; brief niet terug",
	})
	assert.EqualValues(t, 4, as["dpc"], "health data: DPC 4 by default")
	assert.Equal(t, map[string]any{"score": 3.25, "level": "high"}, as["severity"])
	assert.Equal(t, "notify_authority_and_subjects", as["recommendation"])
	res = w.do("PUT", lp+"/decision", w.tokens["controller"], map[string]any{"notify_authority": true, "authority_reasoning": "Hoog risico", "inform_subjects": "no", "subjects_reasoning": "liever niet"})
	require.Equal(t, http.StatusUnprocessableEntity, res.Status, "high risk: not informing needs an exemption")
	assert.Equal(t, []string{"subjects_exemption"}, fieldNames(t, res.JSON(t)))
	w.must("controller", "PUT", lp+"/decision", map[string]any{"notify_authority": true, "authority_reasoning": "Risico voor de betrokkenen", "inform_subjects": "yes"})
	w.must("controller", "POST", lp+"/authority-notifications", map[string]any{"phase": "initial",
		"submitted_at": w.Now.Format(time.RFC3339), "reference": "AP-2026-118233", "note": "Eerste melding via het meldformulier"})
	w.Now = w.Now.Add(48 * time.Hour)
	w.must("controller", "POST", lp+"/authority-notifications", map[string]any{"phase": "supplement",
		"submitted_at": w.Now.Format(time.RFC3339), "reference": "AP-2026-118233", "note": "Betrokkene is gebeld en per brief geïnformeerd"})
	res = w.do("POST", lp+"/close", w.tokens["controller"], map[string]any{"outcome": "handled", "reason": "Afgehandeld"})
	assert.Equal(t, http.StatusConflict, res.Status, "decided to inform the person affected, and no communication recorded")
	letterText := w.do("GET", lp+"/subjects-letter?format=text", w.tokens["adviser"], nil)
	require.Equal(t, http.StatusOK, letterText.Status)
	for _, want := range []string{"Wat is er gebeurd?", "gezondheidsgegevens", "Een onbekende buurman kent de zorgsituatie",
		"Wat kunt u zelf doen?", "[NOG IN TE VULLEN: naam, telefoonnummer en e-mailadres van het contactpunt"} {
		assert.Contains(t, string(letterText.Body), want)
	}
	w.must("controller", "POST", lp+"/subject-communications", map[string]any{"sent_at": w.Now.Format(time.RFC3339),
		"channel": "letter", "reached": 1, "text": string(letterText.Body)})
	w.must("controller", "POST", lp+"/close", map[string]any{"outcome": "handled", "reason": "Afgehandeld"})

	// 2. A stolen laptop with an encrypted disk.
	laptop := w.must("supplier", "POST", "/api/v1/breaches", report(func(r map[string]any) {
		r["title"] = "Versleutelde laptop gestolen uit auto"
		r["cause"] = "Diefstal uit de auto van een medewerker"
		r["personal_data"] = []string{"naam", "bsn", "inkomensgegevens"}
		r["subjects_min"], r["subjects_max"] = 500, 800
		r["sent_items"] = []any{}
		r["item_disposition"] = "not_applicable"
		r["measures"] = "Laptop op afstand gewist; volledige schijfversleuteling, sleutel niet op het apparaat"
	}))["id"].(string)
	tp := "/api/v1/breaches/" + laptop
	as = w.must("adviser", "POST", tp+"/assessments", map[string]any{
		"breach_types": []string{"confidentiality", "availability"}, "ei": "negligible", "unintelligible": true, "restored_from_backup": true,
		"cb":           map[string]any{"confidentiality": "wide", "integrity": "none", "availability": "none", "malicious": true},
		"consequences": "Geen: de gegevens zijn onleesbaar zonder de sleutel", "risk": "none",
		"reasoning": "Sterke versleuteling, sleutel niet gecompromitteerd; er is een back-up",
	})
	assert.Equal(t, map[string]any{"score": 1.75, "level": "low"}, as["severity"], "3 × 0.25 + 0.5 + 0.5")
	assert.Equal(t, "register_only", as["recommendation"])
	assert.Equal(t, []any{"edpb_unintelligible", "edpb_restored_from_backup"}, as["recommendation_rules"],
		"EDPB case 10: encrypted with the key safe, and a backup: register only")
	w.must("controller", "PUT", tp+"/decision", map[string]any{"notify_authority": false,
		"authority_reasoning": "Geen risico: versleuteld met een niet-gecompromitteerde sleutel (EDPB-richtlijnen 01/2021, voorbeeld 5)",
		"inform_subjects":     "no", "subjects_reasoning": "Geen risico voor de betrokkenen"})
	res = w.do("POST", tp+"/authority-notifications", w.tokens["controller"], map[string]any{"phase": "initial",
		"submitted_at": w.Now.Format(time.RFC3339), "reference": "X"})
	assert.Equal(t, http.StatusConflict, res.Status, "the decision was not to notify")
	w.must("adviser", "POST", tp+"/close", map[string]any{"outcome": "handled", "reason": "Gedocumenteerd, niet gemeld"})

	// 3. Ransomware with a working backup and no exfiltration. Its title tries
	// to run as a spreadsheet formula.
	ransom := w.must("supplier", "POST", "/api/v1/breaches", report(func(r map[string]any) {
		r["title"] = "=HYPERLINK(\"https://evil.example\";\"Ransomware op de bestandsserver\")"
		r["cause"] = "Phishingmail; bestanden versleuteld door ransomware"
		r["personal_data"] = []string{"naam", "iban", "eigen_bijdrage"}
		r["subjects_min"], r["subjects_max"] = 2000, 2000
		r["sent_items"] = []any{}
		r["item_disposition"] = "not_applicable"
		r["measures"] = "Server uit back-up van die nacht hersteld; geen aanwijzing voor exfiltratie in de logs"
	}))["id"].(string)
	rp := "/api/v1/breaches/" + ransom
	as = w.must("adviser", "POST", rp+"/assessments", map[string]any{
		"breach_types": []string{"availability"}, "ei": "limited", "restored_from_backup": true,
		"cb":           map[string]any{"confidentiality": "none", "integrity": "none", "availability": "temporary", "malicious": true},
		"consequences": "Enkele uren geen toegang tot de gegevens", "risk": "none",
		"reasoning": "Binnen een werkdag volledig hersteld uit back-up; logs tonen geen uitgaand verkeer (EDPB-richtlijnen 01/2021, voorbeeld 1)",
	})
	assert.Equal(t, map[string]any{"score": 2.25, "level": "medium"}, as["severity"], "the score alone would suggest notifying ...")
	assert.Equal(t, "register_only", as["recommendation"], "... but restored from a backup without exfiltration: register only")
	assert.Equal(t, []any{"edpb_restored_from_backup"}, as["recommendation_rules"], "EDPB 01/2021 case 1")
	assert.Equal(t, []any{"many_subjects"}, as["flags"], "2,000 people: a factor to weigh")
	w.must("controller", "PUT", rp+"/decision", map[string]any{"notify_authority": false,
		"authority_reasoning": "Geen risico na volledig herstel zonder exfiltratie; vastgelegd in het register",
		"inform_subjects":     "no", "subjects_reasoning": "Geen risico voor de betrokkenen"})
	w.must("controller", "POST", rp+"/close", map[string]any{"outcome": "handled", "reason": "Afgehandeld"})

	// A report that turns out not to be a breach stays in the register too.
	none := w.must("supplier", "POST", "/api/v1/breaches", exampleReport(w.Now))["id"].(string)
	w.must("adviser", "POST", "/api/v1/breaches/"+none+"/close", map[string]any{"outcome": "no_breach", "reason": "Brieven bleken binnen de eigen organisatie te zijn gebleven"})

	rows := registerRows(t, w, "")
	require.Len(t, rows, 4, "every breach, notified or not")
	assertNoCodes(t, rows)
	r := rowOf(rows, letter)
	require.NotNil(t, r)
	assert.Equal(t, "ja", r["special_categories"])
	assert.Equal(t, "3,25", r["severity_score"], "a person reads the score the Dutch way in the spreadsheet")
	assert.Equal(t, "hoog risico", r["risk"])
	assert.Equal(t, "ja", r["notify_authority"])
	assert.Equal(t, "ja", r["inform_subjects"])
	assert.Contains(t, r["authority_notifications"], "eerste melding")
	assert.Contains(t, r["authority_notifications"], "aanvulling")
	assert.Contains(t, r["authority_notifications"], "AP-2026-118233")
	assert.Equal(t, "gehaald", r["authority_deadline"])
	assert.Equal(t, "afgehandeld", r["outcome"])
	assert.Equal(t, "q1: Heeft de ontvanger de brief teruggestuurd? → Nee, de ontvanger reageert niet.", r["questions"])
	assert.Contains(t, r["authority_notifications"], "Betrokkene is gebeld", "the note of the supplement")
	assert.Contains(t, r["decisions"], "betrokkenen informeren: ja")
	assert.Contains(t, r["subject_communications"], "per brief, 1 betrokkene")
	for _, item := range w.must("adviser", "GET", "/api/v1/register", nil)["items"].([]any) {
		if item.(map[string]any)["id"] == letter {
			assert.Equal(t, "3.25", item.(map[string]any)["severity_score"], "the JSON register keeps its decimal point")
		}
	}
	r = rowOf(rows, laptop)
	assert.Equal(t, "nee", r["notify_authority"])
	assert.Contains(t, r["decisions"], "melden bij AP: nee; onderbouwing: Geen risico: versleuteld")
	assert.Contains(t, r["authority_reasoning"], "versleuteld")
	assert.Equal(t, "niet meer van toepassing", r["authority_deadline"])
	assert.Equal(t, "ja", r["unintelligible"])
	r = rowOf(rows, ransom)
	assert.Equal(t, `'=HYPERLINK("https://evil.example";"Ransomware op de bestandsserver")`, r["title"], "shown as text, not run")
	assert.Equal(t, "alleen registreren", r["recommendation"], "restored from a backup: the EDPB rule, not the score")
	assert.Equal(t, "geen risico", r["risk"])
	assert.Contains(t, r["risk_reasoning"], "back-up")
	r = rowOf(rows, none)
	assert.Equal(t, "geen datalek", r["outcome"])
	assert.Contains(t, r["close_reason"], "eigen organisatie")

	form := w.must("adviser", "GET", lp+"/authority-form", nil)
	assert.Regexp(t, `^DL-2026-[B-X][B-X2-9]{4}$`, form["reference"])
	sections := form["sections"].([]any)
	require.Len(t, sections, 10, "the AP form's sections 0 to 9")
	for i, sec := range sections {
		assert.EqualValues(t, i, sec.(map[string]any)["number"])
	}
	assert.NotEmpty(t, form["missing"], "what the service cannot know is listed for the adviser")
	text := w.do("GET", lp+"/authority-form?format=text", w.tokens["controller"], nil)
	require.Equal(t, http.StatusOK, text.Status)
	assert.Contains(t, text.Header.Get("Content-Type"), "text/plain")
	for _, want := range []string{"AP-2026-118233", "gezondheidsgegevens", "vertrouwelijkheid", "Nog te beantwoorden:"} {
		assert.Contains(t, string(text.Body), want)
	}
}

func TestLateAuthorityNotificationNeedsAReason(t *testing.T) {
	w := newWorkflow(t)
	id, _ := w.breachIn("assessed", false)
	w.must("controller", "PUT", "/api/v1/breaches/"+id+"/decision", notifyDecision) // decided to notify, not yet notified
	path := "/api/v1/breaches/" + id + "/authority-notifications"
	w.Now = w.Now.Add(80 * time.Hour)
	late := map[string]any{"phase": "initial", "submitted_at": w.Now.Format(time.RFC3339), "reference": "AP-1"}
	res := w.do("POST", path, w.tokens["controller"], late)
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, []string{"delay_reason"}, fieldNames(t, res.JSON(t)))
	late["delay_reason"] = "Omvang pas na drie dagen duidelijk"
	n := w.must("controller", "POST", path, late)
	assert.Equal(t, "Omvang pas na drie dagen duidelijk", n["delay_reason"])
	b := w.must("adviser", "GET", "/api/v1/breaches/"+id, nil)
	authority := b["deadlines"].(map[string]any)["authority"].(map[string]any)
	assert.Equal(t, "late", authority["state"])
	assert.InDelta(t, 8*3600, authority["late_by_seconds"], 1, "submitted_at is given to the second")
}

func TestRegisterPeriodAndFormats(t *testing.T) {
	w := newWorkflow(t)
	first, _ := w.breachIn("new", false)
	w.Now = w.Now.Add(48 * time.Hour)
	second, _ := w.breachIn("new", false)
	rows := registerRows(t, w, "&from="+w.Now.Add(-time.Hour).Format(time.RFC3339))
	require.Len(t, rows, 1)
	assert.Equal(t, second, rows[0]["id"])
	rows = registerRows(t, w, "&to="+w.Now.Add(-time.Hour).Format(time.RFC3339))
	require.Len(t, rows, 1)
	assert.Equal(t, first, rows[0]["id"])
	assert.Empty(t, registerRows(t, w, "&from=2020-01-01&to=2020-01-02"))

	res := w.do("GET", "/api/v1/register", w.tokens["controller"], nil)
	require.Equal(t, http.StatusOK, res.Status)
	items := res.JSON(t)["items"].([]any)
	require.Len(t, items, 2)
	assert.Equal(t, first, items[0].(map[string]any)["id"], "oldest first")
	res = w.do("GET", "/api/v1/register?format=xml&from=gisteren", w.tokens["controller"], nil)
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, []string{"from", "format"}, fieldNames(t, res.JSON(t)))
}

func TestListingFilters(t *testing.T) {
	w := newWorkflow(t)
	assessed, _ := w.breachIn("assessed", false)
	w.Now = w.Now.Add(24 * time.Hour)
	fresh, _ := w.breachIn("new", false)
	ids := func(query string) []string {
		t.Helper()
		var out []string
		for _, it := range w.must("adviser", "GET", "/api/v1/breaches?"+query, nil)["items"].([]any) {
			out = append(out, it.(map[string]any)["id"].(string))
		}
		return out
	}
	assert.Equal(t, []string{assessed}, ids("risk=risk"))
	assert.Equal(t, []string{assessed}, ids("severity=medium"))
	assert.Empty(t, ids("risk=high"))
	assert.Equal(t, []string{fresh}, ids("from="+w.Now.Add(-time.Hour).Format(time.RFC3339)))
	assert.Equal(t, []string{assessed}, ids("to="+w.Now.Add(-time.Hour).Format(time.RFC3339)+"&organisation=Acme+BV"))
	assert.Equal(t, []string{assessed, fresh}, ids("sort=deadline"), "nearest running deadline first: the older 72 hours end first")
	res := w.do("GET", "/api/v1/breaches?risk=enorm&severity=x&from=morgen", w.tokens["adviser"], nil)
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, []string{"from", "risk", "severity"}, fieldNames(t, res.JSON(t)), "every bad parameter at once")
}

func TestDecisionAndClosingRules(t *testing.T) {
	w := newWorkflow(t)

	// Closing as handled needs the notification the decision calls for.
	id, _ := w.breachIn("assessed", false)
	path := "/api/v1/breaches/" + id
	w.must("controller", "PUT", path+"/decision", notifyDecision)
	res := w.do("POST", path+"/close", w.tokens["controller"], map[string]any{"outcome": "handled", "reason": "Afgehandeld"})
	assert.Equal(t, http.StatusConflict, res.Status, "a decision to notify that was not carried out cannot be closed away")

	// A new assessment reopens the decision; a higher risk then demands the exemption.
	w.must("adviser", "POST", path+"/assessments", map[string]any{"breach_types": []string{"confidentiality"}, "ei": "maximum",
		"cb":           map[string]any{"confidentiality": "wide", "integrity": "none", "availability": "none", "malicious": false},
		"consequences": "Gegevens staan online", "risk": "high", "reasoning": "Openbaar geworden",
		"deviation_reason": "Openbaar voor iedereen: ernstiger dan de score zegt"})
	b := w.must("adviser", "GET", path, nil)
	assert.Equal(t, "assessed", b["status"], "back to assessed: the decision was on the old assessment")
	res = w.do("POST", path+"/authority-notifications", w.tokens["controller"], map[string]any{"phase": "initial",
		"submitted_at": w.Now.Format(time.RFC3339), "reference": "AP-2"})
	assert.Equal(t, http.StatusConflict, res.Status, "no decision in force")
	res = w.do("PUT", path+"/decision", w.tokens["controller"], notifyDecision)
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, []string{"subjects_exemption"}, fieldNames(t, res.JSON(t)))

	// A notification withdrawn because it was no breach after all closes as no breach.
	id, _ = w.breachIn("decided", false) // decided and notified
	path = "/api/v1/breaches/" + id
	res = w.do("POST", path+"/close", w.tokens["adviser"], map[string]any{"outcome": "no_breach", "reason": "x"})
	assert.Equal(t, http.StatusConflict, res.Status, "not without withdrawing the notification")
	w.must("controller", "POST", path+"/authority-notifications", map[string]any{"phase": "withdrawal",
		"submitted_at": w.Now.Format(time.RFC3339), "reference": "AP-1", "reason": "Geen datalek: de brieven bleven intern"})
	closed := w.must("adviser", "POST", path+"/close", map[string]any{"outcome": "no_breach", "reason": "Ingetrokken: geen datalek"})
	assert.Equal(t, "no_breach", closed["closure"].(map[string]any)["outcome"])

	// A preliminary report closed as handled keeps its missed 24 hours in the register.
	prelim := w.must("supplier", "POST", "/api/v1/breaches", map[string]any{"stage": "preliminary", "title": "Nooit aangevuld",
		"detected_at": w.Now.Add(-48 * time.Hour).Format(time.RFC3339), "reporter": map[string]string{"name": "A", "phone": "0612345678"}})["id"].(string)
	path = "/api/v1/breaches/" + prelim
	w.must("adviser", "POST", path+"/assessments", riskAssessment)
	w.must("controller", "PUT", path+"/decision", map[string]any{"notify_authority": false, "authority_reasoning": "Te weinig bekend, gering",
		"inform_subjects": "no", "subjects_reasoning": "Gering"})
	w.must("controller", "POST", path+"/close", map[string]any{"outcome": "handled", "reason": "Afgehandeld"})
	rows := registerRows(t, w, "")
	row := rowOf(rows, prelim)
	assert.Equal(t, "verstreken", row["processor_deadline"], "missed, not stopped")
	assert.Equal(t, "1 dag", row["processor_late_by"], "by as much as when it was closed")
	assertNoCodes(t, rows)
}

// dutchWords are the codes of the domain that are Dutch words as well, which
// a cell of the CSV register may hold as words of its own.
var dutchWords = []string{"met", "post", "sms", "fax", "complete", "triage", "maximum", "medium", "volume", "context", "letter"}

// assertNoCodes fails for any code of the domain's enumerations as a word
// of a CSV register cell (issue 9: "the CSV shows codes in Dutch columns").
func assertNoCodes(t *testing.T, rows []map[string]string) {
	t.Helper()
	word := regexp.MustCompile(`[\pL_]+`)
	codes := map[string]bool{}
	for _, e := range breachtest.Enumerations() {
		for _, c := range e.Codes {
			codes[c] = !slices.Contains(dutchWords, c)
		}
	}
	for _, row := range rows {
		for key, cell := range row {
			if key == "id" || key == "reference" {
				continue // identifiers, not words
			}
			for _, w := range word.FindAllString(cell, -1) {
				assert.False(t, codes[w], "CSV register, breach %s, column %s: the code %q in %q", row["reference"], key, w, cell)
			}
		}
	}
}
