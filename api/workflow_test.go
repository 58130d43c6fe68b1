package api_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// workflow holds tokens for every role and brings breaches to a status.
type workflow struct {
	*testAPI
	tokens map[string]string
}

func newWorkflow(t *testing.T) *workflow {
	ta := newTestAPI(t)
	return &workflow{testAPI: ta, tokens: map[string]string{
		"supplier":   ta.token("supplier", "Acme BV", "acme"),
		"adviser":    ta.token("adviser", "", "adviseur"),
		"controller": ta.token("controller", "", "verantwoordelijke"),
		"admin":      adminSecret,
	}}
}

var riskAssessment = map[string]any{
	"breach_types": []string{"confidentiality"}, "ei": "significant",
	"cb":           map[string]any{"confidentiality": "limited", "integrity": "none", "availability": "none", "malicious": false},
	"consequences": "Ontvangers kennen naam, adres en eigen bijdrage", "risk": "risk", "reasoning": "Bekende ontvangers, deels retour",
	"deviation_reason": "Melden ook als de ernst laag uitvalt: niet alle brieven zijn terug",
}

var notifyDecision = map[string]any{"notify_authority": true, "authority_reasoning": "Risico voor de betrokkenen", "inform_subjects": "no",
	"subjects_reasoning": "Geen hoog risico; ontvangers hebben de brieven vernietigd"}

// must sends a request that has to succeed.
func (w *workflow) must(role, method, path string, body any) map[string]any {
	w.t.Helper()
	res := w.do(method, path, w.tokens[role], body)
	require.Less(w.t, res.Status, 300, "%s %s as %s: %s", method, path, role, res.Body)
	return res.JSON(w.t)
}

// breachIn files a breach and moves it to status; with a question when asked.
func (w *workflow) breachIn(status string, question bool) (id, qid string) {
	w.t.Helper()
	id = w.must("supplier", "POST", "/api/v1/breaches", exampleReport(w.Now))["id"].(string)
	path := "/api/v1/breaches/" + id
	if question {
		qid = w.must("adviser", "POST", path+"/questions", map[string]any{"question": "Zijn alle brieven retour?"})["id"].(string)
	}
	steps := []string{"new", "triage", "assessed", "decided", "closed"}
	for _, step := range steps[1 : slices.Index(steps, status)+1] {
		switch step {
		case "triage":
			if !question { // asking already started triage
				w.must("adviser", "POST", path+"/triage", nil)
			}
		case "assessed":
			w.must("adviser", "POST", path+"/assessments", riskAssessment)
		case "decided": // and notified, as decided
			w.must("controller", "PUT", path+"/decision", notifyDecision)
			w.must("controller", "POST", path+"/authority-notifications", map[string]any{"phase": "initial",
				"submitted_at": w.Now.Format(time.RFC3339), "reference": "AP-1"})
		case "closed":
			w.must("controller", "POST", path+"/close", map[string]any{"outcome": "handled", "reason": "Afgehandeld"})
		}
	}
	return id, qid
}

func TestWorkflowEveryRoleActionAndStatus(t *testing.T) {
	w := newWorkflow(t)
	all := []string{"new", "triage", "assessed", "decided", "closed"}
	open := all[:4]
	actions := []struct {
		name     string
		method   string
		path     string // after /api/v1/breaches/{id}
		body     func(status string) any
		roles    []string
		statuses []string
		ok       int
		question bool
	}{
		{"triage", "POST", "/triage", nil, []string{"adviser"}, []string{"new"}, 200, false},
		{"assessment", "POST", "/assessments", func(string) any { return riskAssessment }, []string{"adviser"}, open, 201, false},
		{"question", "POST", "/questions", func(string) any { return map[string]any{"question": "Hoeveel retour?"} }, []string{"adviser"}, open, 201, false},
		{"answer", "POST", "/questions/{qid}/answer", func(string) any { return map[string]any{"answer": "Alle 150"} }, []string{"supplier"}, open[1:], 200, true},
		{"decision", "PUT", "/decision", func(string) any { return notifyDecision }, []string{"controller"}, []string{"assessed", "decided"}, 200, false},
		{"authority notification", "POST", "/authority-notifications", func(string) any { // decided breaches were notified: a supplement
			return map[string]any{"phase": "supplement", "submitted_at": w.Now.Format(time.RFC3339), "reference": "AP-1"}
		}, []string{"controller"}, []string{"decided", "closed"}, 201, false},
		{"close handled", "POST", "/close", func(string) any { return map[string]any{"outcome": "handled", "reason": "klaar"} },
			[]string{"adviser", "controller"}, []string{"decided"}, 200, false},
		{"close no breach", "POST", "/close", func(string) any { return map[string]any{"outcome": "no_breach", "reason": "Bleek interne post"} },
			[]string{"adviser", "controller"}, []string{"new", "triage", "assessed"}, 200, false},
		{"other controllers", "PUT", "/other-controllers", func(string) any { return map[string]any{"controllers": []map[string]string{{"name": "SVB"}}} },
			[]string{"adviser"}, open, 200, false},
		{"awareness", "PUT", "/awareness", func(string) any {
			return map[string]any{"aware_at": w.Now.Add(-time.Hour).Format(time.RFC3339), "reason": "Telefonisch gemeld"}
		}, []string{"adviser"}, []string{"new", "triage", "assessed"}, 200, false}, // after the AP is notified its clock stays
	}
	for _, act := range actions {
		for _, status := range all {
			if act.question && status == "new" {
				continue // asking a question takes a breach out of new
			}
			for _, role := range []string{"supplier", "adviser", "controller", "admin"} {
				t.Run(fmt.Sprintf("%s/%s/%s", act.name, status, role), func(t *testing.T) {
					id, qid := w.breachIn(status, act.question)
					var body any
					if act.body != nil {
						body = act.body(status)
					}
					path := "/api/v1/breaches/" + id + act.path
					if act.question {
						path = "/api/v1/breaches/" + id + "/questions/" + qid + "/answer"
					}
					res := w.do(act.method, path, w.tokens[role], body)
					want := act.ok
					switch {
					case !slices.Contains(act.roles, role):
						want = http.StatusForbidden
					case !slices.Contains(act.statuses, status):
						want = http.StatusConflict
					}
					require.Equal(t, want, res.Status, "%s", res.Body)
					if want == http.StatusConflict {
						assert.Contains(t, res.JSON(t)["detail"], fmt.Sprintf("status %q", status), "the conflict names the current status")
					}
				})
			}
		}
	}
}

func TestSupplierSeesNoDeliberation(t *testing.T) {
	w := newWorkflow(t)
	other := w.token("supplier", "Other BV", "other")
	id, _ := w.breachIn("decided", true)
	path := "/api/v1/breaches/" + id

	got := w.must("supplier", "GET", path, nil)
	for _, hidden := range []string{"assessments", "decisions", "authority_notifications"} {
		assert.NotContains(t, got, hidden, "a supplier does not see the controller's %s", hidden)
	}
	assert.Equal(t, "decided", got["status"])
	events := w.must("supplier", "GET", path+"/events", nil)["items"].([]any)
	for _, e := range events {
		action := e.(map[string]any)["action"]
		assert.NotContains(t, []string{"breach.assessed", "breach.decided", "authority.notification"}, action)
	}
	staff := w.must("adviser", "GET", path+"/events", nil)["items"].([]any)
	assert.Greater(t, len(staff), len(events))

	for _, res := range []response{ // what a supplier's own writes answer
		w.do("PATCH", path, w.tokens["supplier"], map[string]any{"measures": "Ook de tweede printstraat stilgezet"}),
		w.do("POST", path+"/updates", w.tokens["supplier"], map[string]any{"message": "Alles retour"}),
	} {
		require.Less(t, res.Status, 300, "%s", res.Body)
		body := res.JSON(t)
		for _, hidden := range []string{"assessments", "decisions", "authority_notifications", "alerting", "version", "trail_hash"} {
			assert.NotContains(t, body, hidden)
		}
		assert.NotContains(t, body["deadlines"], "authority")
	}
	assert.Equal(t, http.StatusForbidden, w.do("GET", path+"/assessments", w.tokens["supplier"], nil).Status)
	assert.Equal(t, http.StatusForbidden, w.do("GET", path+"/authority-form", w.tokens["supplier"], nil).Status)
	assert.Equal(t, http.StatusUnprocessableEntity, w.do("GET", "/api/v1/breaches?risk=high", w.tokens["supplier"], nil).Status,
		"filtering by risk would reveal the assessment")
	for _, p := range []string{path, path + "/questions", path + "/events"} {
		assert.Equal(t, http.StatusNotFound, w.do("GET", p, other, nil).Status, "another supplier: %s", p)
	}
	res := w.do("POST", path+"/questions/q1/answer", other, map[string]any{"answer": "x"})
	assert.Equal(t, http.StatusNotFound, res.Status)
	assert.Equal(t, http.StatusForbidden, w.do("GET", "/api/v1/register", w.tokens["supplier"], nil).Status)
}

// The 72-hour clock is the controller's: a supplier sees neither its start
// (also not after the adviser moved it), nor its alerts in the trail, nor an
// updated_at that moves when staff record what the supplier cannot see
// (issue 8, number 10).
func TestSupplierSeesNoAuthorityClock(t *testing.T) {
	w := newWorkflow(t)
	id := w.must("supplier", "POST", "/api/v1/breaches", map[string]any{"stage": "preliminary", "title": "Laptop gestolen",
		"detected_at": w.Now.Add(-time.Hour).Format(time.RFC3339), "reporter": map[string]string{"name": "P. de Vries", "email": "p@acme.example"}})["id"].(string)
	path := "/api/v1/breaches/" + id
	w.must("adviser", "PUT", path+"/awareness", map[string]any{"aware_at": w.Now.Add(-6 * time.Hour).Format(time.RFC3339), "reason": "Telefonisch gemeld"})
	w.Now = w.Now.Add(70 * time.Hour) // past the 72 hours from the moved start
	_, err := w.Service.Sweep(context.Background())
	require.NoError(t, err)
	w.must("adviser", "POST", path+"/assessments", riskAssessment)

	staff := w.must("adviser", "GET", path, nil)
	assert.Contains(t, staff, "aware_at")
	assert.Contains(t, staff, "updated_at")
	var staffAlerts []string
	for _, e := range w.must("adviser", "GET", path+"/events", nil)["items"].([]any) {
		if ev := e.(map[string]any); ev["action"] == "alert.raised" {
			staffAlerts = append(staffAlerts, ev["message"].(string))
		}
	}
	require.NotEmpty(t, staffAlerts)
	assert.True(t, slices.ContainsFunc(staffAlerts, func(m string) bool { return strings.HasPrefix(m, "authority_overdue:") }), "%v", staffAlerts)

	for _, got := range []map[string]any{
		w.must("supplier", "GET", path, nil),
		w.must("supplier", "GET", "/api/v1/breaches", nil)["items"].([]any)[0].(map[string]any),
		w.must("supplier", "POST", path+"/updates", map[string]any{"message": "Alle brieven retour"}),
	} {
		for _, hidden := range []string{"aware_at", "updated_at", "alerting", "version", "trail_hash"} {
			assert.NotContains(t, got, hidden)
		}
		assert.NotContains(t, got["deadlines"], "authority")
	}
	events := w.must("supplier", "GET", path+"/events", nil)["items"].([]any)
	for _, e := range events {
		ev := e.(map[string]any)
		assert.NotContains(t, []string{"breach.awareness_moved", "breach.assessed"}, ev["action"])
		assert.NotContains(t, fmt.Sprint(ev["message"]), "authority", "an alert of the 72 hours: %v", ev)
	}
	assert.True(t, slices.ContainsFunc(events, func(e any) bool {
		return strings.HasPrefix(fmt.Sprint(e.(map[string]any)["message"]), "processor_overdue:")
	}), "the supplier's own 24 hours stay in its trail")
}

// Telling the people affected (Art. 34): a communication needs a decision to
// inform them and facts that can be true; while such a decision has none,
// the breach cannot be closed as handled; a supplier sees none of it.
func TestSubjectCommunications(t *testing.T) {
	w := newWorkflow(t)
	id, _ := w.breachIn("assessed", false)
	path := "/api/v1/breaches/" + id
	sent := map[string]any{"sent_at": w.Now.Format(time.RFC3339), "channel": "letter", "reached": 150,
		"text": "Beste heer, mevrouw, er is een brief met uw gegevens bij iemand anders terechtgekomen."}

	w.must("controller", "PUT", path+"/decision", notifyDecision) // inform_subjects: no
	res := w.do("POST", path+"/subject-communications", w.tokens["controller"], sent)
	assert.Equal(t, http.StatusConflict, res.Status, "the decision is not to inform them")

	w.must("controller", "PUT", path+"/decision", map[string]any{"notify_authority": false, "authority_reasoning": "Gering risico",
		"inform_subjects": "yes"})
	res = w.do("POST", path+"/subject-communications", w.tokens["controller"], map[string]any{
		"sent_at": w.Now.Add(time.Hour).Format(time.RFC3339), "channel": "pigeon", "reached": 0, "text": " "})
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, []string{"sent_at", "channel", "reached", "text"}, fieldNames(t, res.JSON(t)))
	res = w.do("POST", path+"/subject-communications", w.tokens["controller"], map[string]any{
		"sent_at": w.Now.Add(-30 * 24 * time.Hour).Format(time.RFC3339), "channel": "letter", "reached": 1, "text": "x"})
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, []string{"sent_at"}, fieldNames(t, res.JSON(t)), "before the breach was detected")
	assert.Equal(t, http.StatusForbidden, w.do("POST", path+"/subject-communications", w.tokens["supplier"], sent).Status)

	res = w.do("POST", path+"/close", w.tokens["controller"], map[string]any{"outcome": "handled", "reason": "Afgehandeld"})
	assert.Equal(t, http.StatusConflict, res.Status, "decided to inform them, not done")
	assert.Contains(t, res.JSON(t)["detail"], "geen bericht aan hen vastgelegd")

	c := w.must("adviser", "POST", path+"/subject-communications", sent)
	assert.EqualValues(t, 1, c["seq"])
	assert.EqualValues(t, 150, c["reached"])
	assert.Equal(t, "letter", c["channel"])
	w.must("controller", "POST", path+"/close", map[string]any{"outcome": "handled", "reason": "Afgehandeld"})

	staff := w.must("controller", "GET", path, nil)
	assert.Len(t, staff["subject_communications"], 1)
	supplier := w.must("supplier", "GET", path, nil)
	assert.NotContains(t, supplier, "subject_communications", "the controller's, not the supplier's")
	for _, e := range w.must("supplier", "GET", path+"/events", nil)["items"].([]any) {
		assert.NotEqual(t, "subjects.informed", e.(map[string]any)["action"])
	}
}

// Instants that cannot be true are refused; an unusual one, an AP
// submission before the supplier's report came in, needs its reason, which
// is kept (issue 9).
func TestInstantsThatCannotBeTrue(t *testing.T) {
	w := newWorkflow(t)
	id, _ := w.breachIn("assessed", false)
	path := "/api/v1/breaches/" + id
	b := w.must("adviser", "GET", path, nil)
	started, err := time.Parse(time.RFC3339, b["started_at"].(string))
	require.NoError(t, err)
	received, err := time.Parse(time.RFC3339, b["received_at"].(string))
	require.NoError(t, err)

	res := w.do("PUT", path+"/awareness", w.tokens["adviser"], map[string]any{
		"aware_at": started.Add(-time.Minute).Format(time.RFC3339), "reason": "Gebeld"})
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Contains(t, res.JSON(t)["errors"].([]any)[0].(map[string]any)["message"], "voor het begin van het datalek")

	w.must("controller", "PUT", path+"/decision", notifyDecision)
	notification := func(at time.Time, early string) response {
		body := map[string]any{"phase": "initial", "submitted_at": at.Format(time.RFC3339), "reference": "AP-1"}
		if early != "" {
			body["early_reason"] = early
		}
		return w.do("POST", path+"/authority-notifications", w.tokens["controller"], body)
	}
	res = notification(started.Add(-time.Minute), "")
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, []string{"submitted_at"}, fieldNames(t, res.JSON(t)), "before the breach began")
	res = notification(received.Add(-time.Minute), "")
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, []string{"early_reason"}, fieldNames(t, res.JSON(t)), "before the supplier's report came in: unusual")
	res = notification(received.Add(-time.Minute), "De opdrachtgever ontdekte het lek zelf en meldde direct")
	require.Equal(t, http.StatusCreated, res.Status, "%s", res.Body)
	assert.Equal(t, "De opdrachtgever ontdekte het lek zelf en meldde direct", res.JSON(t)["early_reason"])
}

// Decisions and closings carry their reasons, whatever they decide: the
// register an inspector re-checks shows why (issue 9).
func TestDecisionsAndClosingsNeedTheirReasons(t *testing.T) {
	w := newWorkflow(t)
	id, _ := w.breachIn("assessed", false)
	path := "/api/v1/breaches/" + id
	res := w.do("PUT", path+"/decision", w.tokens["controller"], map[string]any{"notify_authority": true, "inform_subjects": "planned"})
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, []string{"authority_reasoning"}, fieldNames(t, res.JSON(t)), "also when notifying")
	w.must("controller", "PUT", path+"/decision", map[string]any{"notify_authority": false, "authority_reasoning": "Gering",
		"inform_subjects": "no", "subjects_reasoning": "Gering"})
	res = w.do("POST", path+"/close", w.tokens["controller"], map[string]any{"outcome": "handled"})
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, []string{"reason"}, fieldNames(t, res.JSON(t)), "also when handled")
}

// The AP facts of an assessment are checked like every other input, and
// fill the AP form (issue 9).
func TestAPFactsOfAnAssessment(t *testing.T) {
	w := newWorkflow(t)
	id, _ := w.breachIn("triage", false)
	path := "/api/v1/breaches/" + id
	a := map[string]any{}
	for k, v := range riskAssessment {
		a[k] = v
	}
	a["ap_facts"] = map[string]any{"nature": []string{"read", "read", "peek"}, "cause_category": "bad luck", "records_min": 10,
		"records_max": 5, "groups": []string{"aliens"}, "ended_at": w.Now.Add(-1000 * time.Hour).Format(time.RFC3339)}
	res := w.do("POST", path+"/assessments", w.tokens["adviser"], a)
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, []string{"ap_facts.nature[1]", "ap_facts.nature[2]", "ap_facts.cause_category", "ap_facts.records_max",
		"ap_facts.groups[0]", "ap_facts.ended_at"}, fieldNames(t, res.JSON(t)))

	a["unintelligible"] = true // facts that cannot all be true
	a["ap_facts"] = map[string]any{"key_compromised": true, "sub_processor_involved": true, "eu_authorities": "CNIL", "cross_border": false}
	res = w.do("POST", path+"/assessments", w.tokens["adviser"], a)
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, []string{"ap_facts.sub_processor", "ap_facts.cross_border", "unintelligible"}, fieldNames(t, res.JSON(t)))

	a["unintelligible"] = false
	a["ap_facts"] = map[string]any{"nature": []string{"read", "copy"}, "cause_category": "wrong_address", "records_min": 150,
		"records_max": 180, "groups": []string{"clients", "minors"}, "police_reported": false, "cross_border": false}
	w.must("adviser", "POST", path+"/assessments", a)
	form := w.do("GET", path+"/authority-form?format=text", w.tokens["adviser"], nil)
	require.Equal(t, http.StatusOK, form.Status)
	for _, want := range []string{"lezen, kopiëren", "brief of e-mail naar het verkeerde adres", "150 tot 180", "klanten, minderjarigen",
		"Gaat het om kwetsbare groepen (zoals minderjarigen of patiënten)?: ja", "politie: nee"} {
		assert.Contains(t, string(form.Body), want)
	}
}

// The operator keeps a supplier's record; every new report of the supplier
// also goes to the controller's contact official for its contract
// (Bijlage 3 §2), showing the report as the privacy mailbox sees it.
func TestSupplierRecordAndItsContactOfficial(t *testing.T) {
	w := newWorkflow(t)
	path := "/api/v1/organisations/Acme%20BV"
	org := w.must("admin", "GET", path, nil)
	assert.Equal(t, "Acme BV", org["name"], "issuing its token made the record")
	assert.Empty(t, org["contract_references"])
	assert.Equal(t, http.StatusForbidden, w.do("GET", path, w.tokens["supplier"], nil).Status)
	assert.Equal(t, http.StatusForbidden, w.do("PUT", path, w.tokens["controller"], map[string]any{}).Status)

	res := w.do("PUT", path, adminSecret, map[string]any{"contact_official": map[string]any{"name": "K. Visser", "email": "geen adres"},
		"contacts": []map[string]any{{"name": ""}}})
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, []string{"contact_official.email", "contacts[0].name"}, fieldNames(t, res.JSON(t)))
	org = w.must("admin", "PUT", path, map[string]any{"contract_references": []string{"INK25.005"},
		"contact_official": map[string]any{"name": "K. Visser", "function": "contractmanager", "email": "k.visser@hetcak.example"},
		"sub_processors":   []string{"Drukkerij Noord"}, "activities": []string{"Printen en versturen van beschikkingen"}})
	assert.Equal(t, []any{"INK25.005"}, org["contract_references"])
	assert.Len(t, w.must("adviser", "GET", "/api/v1/organisations", nil)["items"], 1)

	id := w.must("supplier", "POST", "/api/v1/breaches", exampleReport(w.Now))["id"].(string)
	mails, err := w.DB.DueMail(t.Context(), w.Now.Add(time.Minute), 100)
	require.NoError(t, err)
	var official int
	for _, m := range mails {
		if m.Recipient == "k.visser@hetcak.example" {
			official++
			assert.Equal(t, id+".1.filed.contact", m.Notice.ID)
			assert.Equal(t, "filed", string(m.Notice.Kind))
			assert.Equal(t, "contact_official", string(m.Notice.Audience))
		}
	}
	assert.Equal(t, 1, official, "the contact official gets the new report")
}

// Under the exemption of Art. 34(3)(c) the people affected are told by a
// public notice instead of one by one: that notice can be recorded (and
// nothing else), and the breach is not closed as handled before it is.
func TestPublicNoticeUnderTheDisproportionateEffortExemption(t *testing.T) {
	w := newWorkflow(t)
	id, _ := w.breachIn("assessed", false)
	path := "/api/v1/breaches/" + id
	w.must("controller", "PUT", path+"/decision", map[string]any{"notify_authority": false, "authority_reasoning": "Geen melding nodig",
		"inform_subjects": "no", "subjects_exemption": "disproportionate_effort", "subjects_reasoning": "Adressen onbekend"})
	res := w.do("POST", path+"/close", w.tokens["controller"], map[string]any{"outcome": "handled", "reason": "Afgehandeld"})
	assert.Equal(t, http.StatusConflict, res.Status, "the public notice is not recorded yet")
	notice := map[string]any{"sent_at": w.Now.Format(time.RFC3339), "channel": "letter", "reached": 150, "text": "Mededeling"}
	res = w.do("POST", path+"/subject-communications", w.tokens["controller"], notice)
	assert.Equal(t, http.StatusConflict, res.Status, "a letter to each is what the exemption says cannot be done")
	notice["channel"], notice["reached"] = "public_notice", 151
	res = w.do("POST", path+"/subject-communications", w.tokens["controller"], notice)
	require.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assert.Equal(t, []string{"reached"}, fieldNames(t, res.JSON(t)), "more people than the report's maximum of 150")
	notice["reached"] = 150
	w.must("controller", "POST", path+"/subject-communications", notice)
	w.must("controller", "POST", path+"/close", map[string]any{"outcome": "handled", "reason": "Afgehandeld"})
}
