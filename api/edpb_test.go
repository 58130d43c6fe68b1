package api_test

import (
	"datalek/breach/nl"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// edpbCase is one of the EDPB's example cases (Guidelines 01/2021), as a
// supplier reports it and an adviser assesses it, with the EDPB's
// conclusion: register only, notify the AP, or also the people affected.
type edpbCase struct {
	name        string
	title       string // as the supplier reports it, in Dutch
	report      func(r map[string]any)
	assessment  map[string]any
	conclusion  string // the recommendation, which the adviser follows
	informs     bool   // the people affected are told
	dutchAdvice string // the recommendation in the CSV register
}

// The cases, each from filing through the letter and the AP form to its
// register row, landing on the EDPB's conclusion with the inputs an adviser
// would give (issue 9).
func TestEDPBCases(t *testing.T) {
	noLoss := func(change func(cb map[string]any)) map[string]any {
		cb := map[string]any{"confidentiality": "none", "integrity": "none", "availability": "none", "malicious": false}
		change(cb)
		return cb
	}
	noItems := func(r map[string]any) { r["sent_items"], r["item_disposition"] = []any{}, "not_applicable" }
	cases := []edpbCase{
		{"ransomware, restored from a backup, no exfiltration (case 1)", "Ransomware, hersteld uit back-up, geen exfiltratie", func(r map[string]any) {
			noItems(r)
			r["personal_data"] = []string{"naam", "adres", "inkomensgegevens"}
		}, map[string]any{"breach_types": []string{"availability"}, "ei": "significant", "restored_from_backup": true,
			"cb": noLoss(func(cb map[string]any) { cb["availability"], cb["malicious"] = "temporary", true })},
			"register_only", false, "alleen registreren"},
		{"ransomware without a backup, no exfiltration (case 2)", "Ransomware zonder back-up, geen exfiltratie", func(r map[string]any) {
			noItems(r)
			r["personal_data"] = []string{"naam", "adres", "telefoonnummer"}
		}, map[string]any{"breach_types": []string{"availability"}, "ei": "maximum",
			"cb": noLoss(func(cb map[string]any) { cb["availability"], cb["malicious"] = "permanent", true })},
			"notify_authority", false, "melden bij de Autoriteit Persoonsgegevens"},
		{"ransomware with exfiltration (case 4)", "Ransomware met exfiltratie", func(r map[string]any) {
			noItems(r)
			r["personal_data"] = []string{"naam", "adres", "inkomensgegevens"}
		}, map[string]any{"breach_types": []string{"confidentiality", "availability"}, "ei": "maximum", "restored_from_backup": true,
			"cb": noLoss(func(cb map[string]any) {
				cb["confidentiality"], cb["availability"], cb["malicious"] = "wide", "temporary", true
			})},
			"notify_authority_and_subjects", true, "melden bij de Autoriteit Persoonsgegevens en de betrokkenen informeren"},
		{"credential stuffing on a portal with bank details (case 7)", "Credential stuffing op het portaal met bankgegevens", func(r map[string]any) {
			noItems(r)
			r["personal_data"] = []string{"naam", "inloggegevens", "iban"}
		}, map[string]any{"breach_types": []string{"confidentiality"}, "ei": "maximum",
			"cb": noLoss(func(cb map[string]any) { cb["confidentiality"], cb["malicious"] = "wide", true })},
			"notify_authority_and_subjects", true, "melden bij de Autoriteit Persoonsgegevens en de betrokkenen informeren"},
		{"two invoices to a wrong but trusted address, both returned (case 13)", "Twee facturen naar een verkeerd maar betrouwbaar adres, beide terug", func(r map[string]any) {
			r["personal_data"] = []string{"naam", "adres", "eigen_bijdrage"}
			r["subjects_min"], r["subjects_max"] = 2, 2
			r["sent_items"] = []map[string]any{{"description": "Factuur eigen bijdrage", "channel": "post", "count": 2}}
			r["item_disposition"] = "returned"
		}, map[string]any{"breach_types": []string{"confidentiality"}, "ei": "maximum", "recipient_trusted": true,
			"cb": noLoss(func(cb map[string]any) { cb["confidentiality"] = "limited" })},
			"register_only", false, "alleen registreren"},
		{"a letter about household composition to a stranger, not returned (case 15)", "Brief over de samenstelling van het huishouden bij een onbekende, niet terug", func(r map[string]any) {
			r["personal_data"] = []string{"naam", "adres", "samenstelling_huishouden"}
			r["subjects_min"], r["subjects_max"] = 1, 1
			r["sent_items"] = []map[string]any{{"description": "Brief over de samenstelling van het huishouden", "channel": "post", "count": 1}}
			r["item_disposition"] = "not_returned"
		}, map[string]any{"breach_types": []string{"confidentiality"}, "ei": "maximum",
			"cb": noLoss(func(cb map[string]any) { cb["confidentiality"] = "limited" })},
			"notify_authority", false, "melden bij de Autoriteit Persoonsgegevens"},
		{"health data mailed to many (case 14)", "Gezondheidsgegevens naar velen gemaild", func(r map[string]any) {
			r["personal_data"] = []string{"naam", "gezondheidsgegevens"}
			r["subjects_min"], r["subjects_max"] = 1800, 1800
			r["sent_items"] = []map[string]any{{"description": "E-mail met een bijlage met zorgindicaties", "channel": "email", "count": 1800}}
			r["item_disposition"] = "not_returned"
		}, map[string]any{"breach_types": []string{"confidentiality"}, "ei": "significant",
			"cb": noLoss(func(cb map[string]any) { cb["confidentiality"] = "wide" })},
			"notify_authority_and_subjects", true, "melden bij de Autoriteit Persoonsgegevens en de betrokkenen informeren"},
		{"stolen laptop, encrypted with the key safe, a backup (case 10)", "Versleutelde laptop gestolen, sleutel veilig, back-up aanwezig", func(r map[string]any) {
			noItems(r)
			r["personal_data"] = []string{"naam", "gezondheidsgegevens"}
		}, map[string]any{"breach_types": []string{"confidentiality", "availability"}, "ei": "maximum", "unintelligible": true,
			"restored_from_backup": true,
			"cb": noLoss(func(cb map[string]any) {
				cb["confidentiality"], cb["availability"], cb["malicious"] = "wide", "temporary", true
			})},
			"register_only", false, "alleen registreren"},
		{"stolen laptop, not encrypted (case 11)", "Onversleutelde laptop gestolen", func(r map[string]any) {
			noItems(r)
			r["personal_data"] = []string{"naam", "gezondheidsgegevens"}
		}, map[string]any{"breach_types": []string{"confidentiality", "availability"}, "ei": "maximum", "restored_from_backup": true,
			"cb": noLoss(func(cb map[string]any) {
				cb["confidentiality"], cb["availability"], cb["malicious"] = "wide", "temporary", true
			})},
			"notify_authority_and_subjects", true, "melden bij de Autoriteit Persoonsgegevens en de betrokkenen informeren"},
	}
	risks := map[string]string{"register_only": "none", "notify_authority": "risk", "notify_authority_and_subjects": "high"}

	w := newWorkflow(t)
	ids := map[string]string{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := exampleReport(w.Now)
			r["title"] = c.title
			c.report(r)
			id := w.must("supplier", "POST", "/api/v1/breaches", r)["id"].(string)
			ids[c.name] = id
			path := "/api/v1/breaches/" + id

			a := c.assessment
			a["risk"], a["consequences"], a["reasoning"] = risks[c.conclusion], "Zoals de EDPB het voorbeeld beschrijft", "EDPB 01/2021"
			as := w.must("adviser", "POST", path+"/assessments", a)
			require.Equal(t, c.conclusion, as["recommendation"], "score %v (%v), rules %v", as["severity"], as["dpc"], as["recommendation_rules"])

			notify := c.conclusion != "register_only"
			decision := map[string]any{"notify_authority": notify, "authority_reasoning": "Risico voor de betrokkenen (EDPB 01/2021)"}
			if !notify {
				decision["authority_reasoning"] = "Waarschijnlijk geen risico (EDPB 01/2021)"
			}
			if c.informs {
				decision["inform_subjects"] = "yes"
			} else {
				decision["inform_subjects"], decision["subjects_reasoning"] = "no", "Geen hoog risico voor de betrokkenen"
			}
			w.must("controller", "PUT", path+"/decision", decision)

			if notify {
				form := w.do("GET", path+"/authority-form?format=text", w.tokens["controller"], nil)
				require.Equal(t, http.StatusOK, form.Status)
				text := string(form.Body)
				assert.NotContains(t, text, "ENISA", "no internal deliberation")
				seriousness, informed := "een risico voor de rechten en vrijheden van de betrokkenen, geen hoog risico", "nee; reden: Geen hoog risico"
				if c.informs {
					seriousness, informed = "een hoog risico voor de rechten en vrijheden van de betrokkenen", "nog niet: besloten is ze te informeren"
				}
				assert.Contains(t, text, "Hoe ernstig schat u de gevolgen voor de betrokkenen in?: "+seriousness+"\n", "as decided")
				assert.Contains(t, text, "Zijn de betrokkenen geïnformeerd? (ja, gepland, nee met reden): "+informed, "as decided and done")
				w.must("controller", "POST", path+"/authority-notifications", map[string]any{"phase": "initial",
					"submitted_at": w.Now.Format(time.RFC3339), "reference": "AP-" + id[:6]})
			}
			if c.informs {
				res := w.do("POST", path+"/close", w.tokens["controller"], map[string]any{"outcome": "handled", "reason": "Afgehandeld"})
				assert.Equal(t, http.StatusConflict, res.Status, "not before the people affected are told")
				letter := w.do("GET", path+"/subjects-letter?format=text", w.tokens["controller"], nil)
				require.Equal(t, http.StatusOK, letter.Status)
				assert.Contains(t, string(letter.Body), "Onderwerp: Uw persoonsgegevens zijn mogelijk bij iemand anders terechtgekomen\n",
					"every case that informs lost confidentiality")
				w.must("controller", "POST", path+"/subject-communications", map[string]any{"sent_at": w.Now.Format(time.RFC3339),
					"channel": "letter", "reached": 100, "text": string(letter.Body)})
				form := w.do("GET", path+"/authority-form?format=text", w.tokens["controller"], nil)
				assert.Contains(t, string(form.Body), "Wanneer, hoe en hoeveel betrokkenen zijn geïnformeerd?: "+nl.Time(w.Now)+", per brief, 100 betrokkenen\n")
			}
			w.must("controller", "POST", path+"/close", map[string]any{"outcome": "handled", "reason": "Afgehandeld"})
		})
	}

	rows := registerRows(t, w, "")
	assertNoCodes(t, rows)
	for _, c := range cases {
		row := rowOf(rows, ids[c.name])
		require.NotNil(t, row, c.name)
		assert.Equal(t, c.dutchAdvice, row["recommendation"], c.name)
		assert.Equal(t, map[bool]string{true: "ja", false: "nee"}[c.conclusion != "register_only"], row["notify_authority"], c.name)
		assert.Equal(t, "afgehandeld", row["outcome"], c.name)
		assert.Equal(t, c.informs, strings.Contains(row["subject_communications"], "per brief, 100 betrokkenen"), c.name)
	}
}
