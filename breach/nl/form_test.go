package nl_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/breach"
	"datalek/breach/nl"
)

// formNow is the moment the forms are drafted.
var formNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

func formInt(n int) *int     { return &n }
func formBool(v bool) *bool  { return &v }
func formAt(h int) time.Time { return formNow.Add(time.Duration(h) * time.Hour) }

// preliminaryBreach is a first report with only what a preliminary report
// must give: no Bijlage 3 facts, no assessment, no decision.
func preliminaryBreach() *breach.Breach {
	detected := formAt(-5)
	return &breach.Breach{
		ID: "b-prelim", Reference: "DL-2026-0007", Organisation: "Printbedrijf Noord B.V.",
		Stage: breach.StagePreliminary, Status: breach.StatusNew,
		ReceivedAt: formAt(-4), AwareAt: formAt(-4), UpdatedAt: formAt(-4),
		Report: breach.Report{
			Title:      "Mogelijk verkeerde brieven verstuurd",
			DetectedAt: detected,
			Reporter:   breach.Reporter{Name: "Piet de Vries"},
		},
	}
}

// completeBreach is a complete report, assessed, decided and notified to the
// AP within 72 hours.
func completeBreach(t *testing.T) *breach.Breach {
	t.Helper()
	aware := formAt(-50)
	cb := breach.Circumstances{Confidentiality: "limited", Integrity: "none", Availability: "none"}
	sev, err := breach.Score(4, "maximum", cb)
	require.NoError(t, err)
	return &breach.Breach{
		ID: "b-complete", Reference: "DL-2026-0042", Organisation: "Printbedrijf Noord B.V.",
		Stage: breach.StageComplete, Status: breach.StatusDecided,
		ReceivedAt: aware, CompletedAt: &aware, AwareAt: aware, UpdatedAt: formAt(-2),
		Report: breach.Report{
			Title:        "Brieven naar verkeerd adres verstuurd",
			DetectedAt:   formAt(-51),
			StartedAt:    new(formAt(-52)),
			Ongoing:      formBool(false),
			Cause:        "Adresbestand verkeerd gekoppeld in de printstraat",
			PersonalData: []string{"naam", "adres", "bsn", "detentieverklaring"},
			SubjectsMin:  formInt(120),
			SubjectsMax:  formInt(150),
			SentItems: []breach.SentItem{
				{Description: "Beschikking eigen bijdrage 2027", Channel: "post", Count: formInt(150)},
				{Description: "Herinnering", Channel: "email", Count: formInt(30)},
			},
			ItemDisposition:   breach.DispositionPartlyReturned,
			Measures:          "Printstraat stilgezet; ontvangers gebeld met verzoek te vernietigen",
			Reporter:          breach.Reporter{Name: "Piet de Vries", Function: "Security officer", Email: "piet@printnoord.example", Phone: "+31 50 123 4567"},
			ContractReference: "VWO-2026-013",
		},
		Assessments: []breach.Assessment{{
			Seq: 1, AssessedAt: formAt(-30), By: "Adviseur (adviser)",
			BreachTypes: []breach.BreachType{breach.TypeConfidentiality},
			DPC:         4, DPCDefault: 4, EI: "maximum", CB: cb,
			Consequences: "Ontvangers kennen BSN en detentiegegevens van een ander; risico op identiteitsfraude en stigmatisering",
			Risk:         breach.RiskHigh, Reasoning: "Strafrechtelijke gegevens met BSN bij onbekenden",
			Severity: sev, Recommendation: breach.Recommend(sev.Level),
		}},
		Decisions: []breach.Decision{{
			Seq: 1, DecidedAt: formAt(-25), By: "Controller (controller)",
			NotifyAuthority: true, InformSubjects: "yes", SubjectsReasoning: "Brief aan alle 150 ontvangers",
		}},
		AuthorityNotifications: []breach.AuthorityNotification{{
			Seq: 1, Phase: breach.PhaseInitial, SubmittedAt: formAt(-20), Reference: "M-2026-98765",
			RecordedAt: formAt(-19), By: "Controller (controller)",
		}},
		OtherControllers: []breach.OtherController{{Name: "Gemeente Groningen", Contact: "privacy@groningen.example"}},
	}
}

// field returns the one field of section n whose question contains q.
func field(t *testing.T, f *nl.AuthorityForm, n int, q string) nl.FormField {
	t.Helper()
	require.Less(t, n, len(f.Sections))
	s := f.Sections[n]
	require.Equal(t, n, s.Number)
	var found []nl.FormField
	for _, fl := range s.Fields {
		if strings.Contains(fl.Question, q) {
			found = append(found, fl)
		}
	}
	require.Len(t, found, 1, "section %d: question containing %q", n, q)
	return found[0]
}

// checkForm asserts what holds for every form: sections 0 to 9, answered
// fields with a source, missing ones without an answer, and Missing listing
// exactly the missing fields in order.
func checkForm(t *testing.T, f *nl.AuthorityForm) {
	t.Helper()
	require.Len(t, f.Sections, 10)
	want := []string{}
	for i, s := range f.Sections {
		assert.Equal(t, i, s.Number)
		assert.NotEmpty(t, s.Title)
		assert.NotEmpty(t, s.Fields)
		for _, fl := range s.Fields {
			assert.NotEmpty(t, fl.Question)
			if fl.Missing {
				assert.Empty(t, fl.Answer, fl.Question)
				assert.Empty(t, fl.Source, fl.Question)
				want = append(want, breachFormMissing(s, fl))
			} else {
				assert.NotEmpty(t, fl.Answer, fl.Question)
				assert.Contains(t, []string{"melding", "beoordeling", "besluit", "dienst"}, fl.Source, fl.Question)
			}
		}
	}
	assert.Equal(t, want, f.Missing)
}

func breachFormMissing(s nl.FormSection, fl nl.FormField) string {
	return strconv.Itoa(s.Number) + ". " + s.Title + ": " + fl.Question
}

func TestAuthorityFormComplete(t *testing.T) {
	b := completeBreach(t)
	f := nl.NewAuthorityForm(b, formNow, breach.ControllerProfile{})
	checkForm(t, f)
	assert.Equal(t, "b-complete", f.BreachID)
	assert.Equal(t, "DL-2026-0042", f.Reference)

	// Only what the service cannot know is left.
	assert.Equal(t, []string{
		"1. Contactgegevens: Naam van de organisatie (verwerkingsverantwoordelijke)",
		"1. Contactgegevens: Wie meldt het datalek namens de organisatie? (naam, functie, telefoonnummer, e-mailadres)",
		"1. Contactgegevens: Contactpersoon voor de Autoriteit Persoonsgegevens (naam, functie, telefoonnummer, e-mailadres)",
		"1. Contactgegevens: Is er een subverwerker van de verwerker bij het datalek betrokken? Zo ja, welke?",
		"2. Tijdlijn: Wanneer is het datalek geëindigd?",
		"3. Aard van het datalek: Wat is de oorzaak of de soort van het incident?",
		"5. Betrokkenen: Om welke groepen betrokkenen gaat het?",
		"5. Betrokkenen: Gaat het om kwetsbare groepen (zoals minderjarigen of patiënten)?",
		"6. Beveiliging vooraf: Waren de persoonsgegevens versleuteld, gehasht of op een andere manier onbegrijpelijk of ontoegankelijk gemaakt voor onbevoegden?",
		"6. Beveiliging vooraf: Zo ja, op welke manier?",
		"6. Beveiliging vooraf: Is de sleutel (of het wachtwoord) buiten bereik van onbevoegden gebleven?",
		"7. Gevolgen: Welke soorten schade kunnen de betrokkenen lijden? (lichamelijk, materieel, immaterieel)",
		"8. Vervolgacties: Wanneer, hoe en hoeveel betrokkenen zijn geïnformeerd?",
		"8. Vervolgacties: Heeft het datalek grensoverschrijdende aspecten (betrokkenen of vestigingen in andere EU-lidstaten)?",
		"8. Vervolgacties: Is het datalek gemeld of wordt het gemeld bij toezichthouders in andere EU-lidstaten? Zo ja, welke?",
		"9. Overige informatie: Is het datalek ook gemeld bij de politie of een andere instantie (zoals een sector-CSIRT)?",
	}, f.Missing, "without the profile and the AP facts (how the data were protected among them: not ticking unintelligible "+
		"says nothing); and the decision is to inform them: when and how it was done is asked too")

	tests := []struct {
		section  int
		question string
		source   string
		contains []string
	}{
		{0, "Onder welke wet", "dienst", []string{"Algemene verordening gegevensbescherming (AVG)"}},
		{0, "nieuwe melding, een vervolgmelding", "dienst", []string{"vervolgmelding (aanvulling)", "M-2026-98765"}},
		{0, "Meldingsnummer", "dienst", []string{"M-2026-98765"}},
		{0, "Termijn van 72 uur", "dienst", []string{"binnen de termijn", nl.Time(b.AuthorityDue())}},
		{2, "later dan 72 uur", "dienst", []string{"niet van toepassing"}},
		{1, "Is er een verwerker bij", "melding", []string{"ja: Printbedrijf Noord B.V."}},
		{1, "Contactpersoon bij de verwerker", "melding", []string{"Piet de Vries", "Security officer", "+31 50 123 4567", "piet@printnoord.example"}},
		{1, "andere verwerkingsverantwoordelijken", "dienst", []string{"Gemeente Groningen, privacy@groningen.example"}},
		{2, "plaatsgevonden", "melding", []string{nl.Time(*b.StartedAt)}},
		{2, "ontdekt", "melding", []string{nl.Time(b.DetectedAt)}},
		{2, "op de hoogte geraakt", "dienst", []string{nl.Time(b.AwareAt)}},
		{2, "nog gaande", "melding", []string{"nee"}},
		{3, "soort inbreuk", "beoordeling", []string{"vertrouwelijkheid"}},
		{3, "aard van het datalek", "beoordeling", []string{"lezen of kopiëren (vertrouwelijkheid)"}},
		{3, "Wat is er gebeurd", "melding", []string{"Adresbestand verkeerd gekoppeld"}},
		{4, "soorten persoonsgegevens", "melding", []string{"naam, adres (woon- of correspondentieadres), burgerservicenummer (BSN), detentieverklaring (strafrechtelijk)"}},
		{4, "categorieën van het meldformulier", "melding", []string{"naam, adres en woonplaats; burgerservicenummer (BSN); strafrechtelijke gegevens"}},
		{4, "bijzondere persoonsgegevens", "melding", []string{"ja: detentieverklaring (strafrechtelijk)"}},
		{4, "records", "melding", []string{"ongeveer 180"}},
		{5, "minimaal", "melding", []string{"120"}},
		{5, "maximaal", "melding", []string{"150"}},
		{7, "vertrouwelijkheid, integriteit en beschikbaarheid", "beoordeling", []string{"vertrouwelijkheid: beperkt (bekende, beperkte ontvangers)", "integriteit: geen"}},
		{7, "gevolgen (schade)", "beoordeling", []string{"identiteitsfraude"}},
		{7, "ernstig", "beoordeling", []string{"een hoog risico voor de rechten en vrijheden van de betrokkenen"}},
		{8, "betrokkenen geïnformeerd", "besluit", []string{"nog niet: besloten is ze te informeren; toelichting: Brief aan alle 150 ontvangers"}},
		{8, "maatregelen", "melding", []string{"Printstraat stilgezet"}},
		{9, "Eerdere meldingen", "dienst", []string{"eerste melding op " + nl.Time(formAt(-20)), "meldingsnummer M-2026-98765"}},
		{9, "Eigen kenmerk", "dienst", []string{"DL-2026-0042"}},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			fl := field(t, f, tt.section, tt.question)
			require.False(t, fl.Missing)
			assert.Equal(t, tt.source, fl.Source)
			for _, c := range tt.contains {
				assert.Contains(t, fl.Answer, c)
			}
		})
	}
}

func TestAuthorityFormPreliminary(t *testing.T) {
	b := preliminaryBreach()
	f := nl.NewAuthorityForm(b, formNow, breach.ControllerProfile{})
	checkForm(t, f)

	missing := []struct {
		section  int
		question string
	}{
		// Bijlage 3 facts the report does not give yet.
		{2, "plaatsgevonden"},
		{2, "nog gaande"},
		{3, "Wat is er gebeurd"},
		{4, "soorten persoonsgegevens"},
		{4, "categorieën van het meldformulier"},
		{4, "bijzondere persoonsgegevens"},
		{4, "records"},
		{5, "minimaal"},
		{5, "maximaal"},
		{8, "maatregelen"},
		// The assessment.
		{3, "soort inbreuk"},
		{6, "versleuteld, gehasht"},
		{6, "op welke manier"},
		{7, "vertrouwelijkheid, integriteit en beschikbaarheid"},
		{7, "gevolgen (schade)"},
		{3, "aard van het datalek"},
		{7, "ernstig"},
		// The decision.
		{8, "betrokkenen geïnformeerd"},
	}
	for _, m := range missing {
		t.Run(m.question, func(t *testing.T) {
			fl := field(t, f, m.section, m.question)
			assert.True(t, fl.Missing)
			assert.Contains(t, f.Missing, breachFormMissing(f.Sections[m.section], fl))
		})
	}
	// And these, which the controller's profile and the adviser's AP facts
	// answer: the organisation, who files, the contact, the end of the
	// breach, the cause, the groups and whether they are vulnerable, the
	// kinds of damage, cross-border, the police; the sub-processor, the key
	// and the EU authorities.
	assert.Len(t, f.Missing, len(missing)+13)

	// What the preliminary report does say is filled in.
	assert.Equal(t, "nieuwe melding", field(t, f, 0, "nieuwe melding, een vervolgmelding").Answer)
	assert.Contains(t, field(t, f, 0, "Termijn van 72 uur").Answer, "nog ")
	assert.Equal(t, nl.Time(b.DetectedAt), field(t, f, 2, "ontdekt").Answer)
	assert.Equal(t, "geen bekend", field(t, f, 1, "andere verwerkingsverantwoordelijken").Answer)
	assert.Equal(t, "Piet de Vries", field(t, f, 1, "Contactpersoon bij de verwerker").Answer)
	assert.Equal(t, "geen", field(t, f, 9, "Eerdere meldingen").Answer)
	assert.Contains(t, f.Missing, "2. Tijdlijn: Wanneer heeft het datalek plaatsgevonden (of: vanaf wanneer)?")

	// The JSON lists missing fields and leaves out empty answers.
	data, err := json.Marshal(f)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"missing":["`)
	assert.Contains(t, string(data), `{"question":"Om welke groepen betrokkenen gaat het?","missing":true}`)
}

func TestAuthorityFormText(t *testing.T) {
	tests := []struct {
		name string
		b    *breach.Breach
	}{
		{"complete", completeBreach(t)},
		{"preliminary", preliminaryBreach()},
	}
	titles := []string{"0. Melding", "1. Contactgegevens", "2. Tijdlijn", "3. Aard van het datalek", "4. Persoonsgegevens",
		"5. Betrokkenen", "6. Beveiliging vooraf", "7. Gevolgen", "8. Vervolgacties", "9. Overige informatie"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := nl.NewAuthorityForm(tt.b, formNow, breach.ControllerProfile{})
			text := f.Text()
			assert.Contains(t, text, "Kenmerk: "+tt.b.Reference)

			at := 0
			for _, title := range titles {
				header := "\n" + title + "\n" + strings.Repeat("-", len([]rune(title))) + "\n"
				i := strings.Index(text[at:], header)
				require.GreaterOrEqual(t, i, 0, "section header %q, underlined, after the previous one", title)
				at += i + len(header)
			}

			assert.Equal(t, len(f.Missing), strings.Count(text, "[NOG IN TE VULLEN]"))
			assert.Contains(t, text, "Wanneer is het datalek ontdekt?: "+nl.Time(tt.b.DetectedAt)+"\n")
			assert.Contains(t, text, "Om welke groepen betrokkenen gaat het?: [NOG IN TE VULLEN]\n")

			_, list, ok := strings.Cut(text, "\nNog te beantwoorden:\n")
			require.True(t, ok)
			var want strings.Builder
			for _, m := range f.Missing {
				want.WriteString("- " + m + "\n")
			}
			assert.Equal(t, want.String(), list)
		})
	}
}

func TestAuthorityFormTextIndentsFreeText(t *testing.T) {
	b := preliminaryBreach()
	b.Cause = "Koppeling fout.\nBestand opnieuw gedraaid."
	text := nl.NewAuthorityForm(b, formNow, breach.ControllerProfile{}).Text()
	assert.Contains(t, text, "Wat is er gebeurd? (omschrijving en oorzaak): Koppeling fout.\n    Bestand opnieuw gedraaid.\n")
}

func TestAuthorityFormNotificationAndDeadline(t *testing.T) {
	notify := breach.Decision{Seq: 1, NotifyAuthority: true, InformSubjects: "planned"}
	tests := []struct {
		name        string
		awareHours  int // hours before formNow
		decision    *breach.Decision
		notices     []breach.AuthorityNotification
		kind        string
		deadline    []string
		delay       string // "" means missing
		delayAbsent bool
	}{
		{
			name: "running", awareHours: 10, kind: "nieuwe melding",
			deadline: []string{"uiterlijk " + nl.Time(formAt(62)), "nog 2 dagen en 14 uur"},
			delay:    "niet van toepassing: de termijn loopt nog",
		},
		{
			name: "past due without an initial notification", awareHours: 80, decision: &notify, kind: "nieuwe melding",
			deadline: []string{"uiterlijk " + nl.Time(formAt(-8)), "8 uur geleden verstreken", "nog niet gemeld",
				"redenen voor de vertraging", "art. 33, eerste lid, AVG"},
		},
		{
			name: "notified late with a reason", awareHours: 100, decision: &notify,
			notices: []breach.AuthorityNotification{{Seq: 1, Phase: breach.PhaseInitial, SubmittedAt: formAt(-20),
				Reference: "M-1", DelayReason: "Omvang pas na onderzoek bekend"}},
			kind:     "vervolgmelding (aanvulling) op melding M-1",
			deadline: []string{"gemeld op " + nl.Time(formAt(-20)), "8 uur na de termijn"},
			delay:    "Omvang pas na onderzoek bekend",
		},
		{
			name: "withdrawn", awareHours: 60, decision: &notify,
			notices: []breach.AuthorityNotification{
				{Seq: 1, Phase: breach.PhaseInitial, SubmittedAt: formAt(-50), Reference: "M-2"},
				{Seq: 2, Phase: breach.PhaseWithdrawal, SubmittedAt: formAt(-1), Reference: "M-2", Reason: "Geen datalek"},
			},
			kind:     "intrekking van melding M-2",
			deadline: []string{"binnen de termijn"},
			delay:    "niet van toepassing: binnen de termijn gemeld",
		},
		{
			name: "decided not to notify", awareHours: 80,
			decision: &breach.Decision{Seq: 1, NotifyAuthority: false, AuthorityReasoning: "Geen risico: versleuteld", InformSubjects: "no"},
			kind:     "nieuwe melding",
			deadline: []string{"vervalt", "besloten niet te melden, omdat: Geen risico: versleuteld"},
			delay:    "niet van toepassing: de verwerkingsverantwoordelijke heeft besloten niet te melden, omdat: Geen risico: versleuteld",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := preliminaryBreach()
			b.AwareAt = formAt(-tt.awareHours)
			b.DetectedAt = b.AwareAt.Add(-time.Hour)
			if tt.decision != nil {
				b.Decisions = []breach.Decision{*tt.decision}
				b.Status = breach.StatusDecided // a decision is in force once the breach is decided
			}
			b.AuthorityNotifications = tt.notices
			f := nl.NewAuthorityForm(b, formNow, breach.ControllerProfile{})
			checkForm(t, f)

			assert.Equal(t, tt.kind, field(t, f, 0, "nieuwe melding, een vervolgmelding").Answer)
			deadline := field(t, f, 0, "Termijn van 72 uur")
			for _, c := range tt.deadline {
				assert.Contains(t, deadline.Answer, c)
			}
			delay := field(t, f, 2, "later dan 72 uur")
			if tt.delay == "" {
				assert.True(t, delay.Missing)
				assert.Contains(t, f.Missing, "2. Tijdlijn: Waarom meldt u later dan 72 uur nadat de organisatie op de hoogte raakte?")
			} else {
				assert.Equal(t, tt.delay, delay.Answer)
			}
		})
	}
}

func TestAuthorityFormSubjectsNotInformed(t *testing.T) {
	b := completeBreach(t)
	b.Decisions[0].InformSubjects = "no"
	b.Decisions[0].SubjectsExemption = "unintelligible"
	b.Decisions[0].SubjectsReasoning = "Bestand was versleuteld met AES-256"
	b.Assessments[0].Unintelligible = true
	b.SentItems[1].Count = nil
	b.Questions = []breach.Question{{ID: "q1", Question: "Hoeveel brieven zijn terug?", AskedAt: formAt(-3)}}
	f := nl.NewAuthorityForm(b, formNow, breach.ControllerProfile{})
	checkForm(t, f)

	informed := field(t, f, 8, "betrokkenen geïnformeerd").Answer
	assert.Contains(t, informed, "nee; uitzondering: de gegevens zijn onbegrijpelijk voor onbevoegden")
	assert.Contains(t, informed, "reden: Bestand was versleuteld met AES-256")
	assert.Equal(t, "ja", field(t, f, 6, "versleuteld, gehasht").Answer)
	assert.True(t, field(t, f, 6, "op welke manier").Missing, "how it was encrypted is for the adviser to write")
	assert.Contains(t, field(t, f, 4, "records").Answer, "minstens 150")
	assert.NotContains(t, f.Text(), "Hoeveel brieven zijn terug?", "questions to the supplier are Bijlage 3's, not the AP's")
}

// The form is the controller's statement to the AP: no ENISA score, no
// recommendation, no adviser's reasoning (they are the register's), so it
// cannot contradict the recorded decision (issue 9).
func TestAuthorityFormHoldsNoDeliberation(t *testing.T) {
	b := completeBreach(t)
	b.Assessments[0].Recommendation = breach.RecommendNotifyAuthorityAndSubjects
	text := nl.NewAuthorityForm(b, formNow, breach.ControllerProfile{}).Text()
	for _, internal := range []string{"ENISA", "4,25", "aanbeveling", "Aanbeveling", "Adviseur Privacy",
		b.Assessments[0].Reasoning, nl.Recommendation(breach.RecommendNotifyAuthorityAndSubjects)} {
		assert.NotContains(t, text, internal)
	}
}

// The AP asks for its own categories of personal data: a BSN and an income
// are boxes of their own there; what falls under none is named as it is.
func TestAPCategories(t *testing.T) {
	assert.Equal(t, "naam, adres en woonplaats; financiële gegevens; burgerservicenummer (BSN)",
		nl.APCategories([]string{"bsn", "naam", "inkomensgegevens", "eigen_bijdrage"}))
	assert.Equal(t, "gezondheid; overige persoonsgegevens: burgerlijke staat; mogelijk ook gezondheid: spraakdata (gespreksopnames)",
		nl.APCategories([]string{"burgerlijke_staat", "gezondheidsgegevens", "spraakdata"}))
	assert.Empty(t, nl.APCategories(nil))
}

// For a breach whose every fact is recorded (the report, the controller's
// profile, an assessment with the AP facts, the decision, the notification
// and the letter to the people affected), the form answers every question:
// nothing is left open.
func TestAuthorityFormAnswersEveryQuestion(t *testing.T) {
	b := completeBreach(t)
	police := false
	crossBorder := false
	end := formAt(-50)
	b.Assessments[0].Unintelligible = true
	b.Assessments[0].APFacts = &breach.APFacts{Nature: []breach.APNature{breach.NatureRead}, CauseCategory: breach.CauseWrongAddress,
		RecordsMin: formInt(150), RecordsMax: formInt(180), Groups: []breach.SubjectGroup{breach.GroupClients},
		Damage:     []breach.DamageKind{breach.DamageIdentity, breach.DamageStigma},
		Protection: "Versleuteld met AES-256; de sleutel staat in een HSM", KeyCompromised: &police, SubProcessorInvolved: &police,
		EndedAt: &end, PoliceReported: &police, CrossBorder: &crossBorder}
	b.SubjectCommunications = []breach.SubjectCommunication{{Seq: 1, SentAt: formAt(-10), Channel: breach.SubjectLetter, Reached: 150,
		Text: "Beste heer, mevrouw,"}}
	profile := breach.ControllerProfile{Name: "CAK", DPO: "M. Jansen, fg@hetcak.example", Notifier: "A. de Boer, datalekken@hetcak.example"}
	f := nl.NewAuthorityForm(b, formNow, profile)
	assert.Empty(t, f.Missing)
	assert.NotContains(t, f.Text(), nl.FormPlaceholder)
	assert.Equal(t, "lezen", field(t, f, 3, "aard van het datalek").Answer)
	assert.Equal(t, "brief of e-mail naar het verkeerde adres", field(t, f, 3, "soort van het incident").Answer)
	assert.Equal(t, "150 tot 180", field(t, f, 4, "records").Answer)
	assert.Equal(t, "nee", field(t, f, 5, "kwetsbare groepen").Answer)
	assert.Equal(t, "politie: nee", field(t, f, 9, "politie").Answer)
}

// apFormQuestions maps each question of the AP's form, as
// testdata/ap-form.md (the section of ../shared/design/DOMAIN.md) words it,
// by the start of its words, to the fields of the draft that answer it.
var apFormQuestions = map[int]map[string][]string{
	0: {"under which law": {"Onder welke wet"}, "new notification, follow-up": {"nieuwe melding, een vervolgmelding", "Meldingsnummer"}},
	1: {"the organisation": {"Naam van de organisatie"}, "who reports": {"Wie meldt"},
		"who the AP can contact":        {"Contactpersoon voor de Autoriteit Persoonsgegevens"},
		"another organisation involved": {"Is er een verwerker", "subverwerker", "andere verwerkingsverantwoordelijken"}},
	2: {"when the breach happened": {"plaatsgevonden", "geëindigd"}, "whether it is still going on": {"nog gaande"},
		"when it was discovered": {"ontdekt"}, "if the notification is later than 72 hours": {"later dan 72 uur"}},
	3: {"a summary of what happened": {"Wat is er gebeurd"}, "the nature of the breach": {"aard van het datalek"},
		"the cause or kind of incident": {"oorzaak of de soort"}},
	4: {"general categories": {"categorieën van het meldformulier"},
		"special categories and criminal data": {"bijzondere persoonsgegevens of strafrechtelijke"},
		"the approximate number of records":    {"records"}},
	5: {"the number of people": {"minimaal", "maximaal"}, "which groups": {"groepen betrokkenen", "kwetsbare groepen"}},
	6: {"were the data encrypted": {"versleuteld, gehasht"}, "if so, how": {"op welke manier", "buiten bereik van onbevoegden"}},
	7: {"for confidentiality, integrity and availability": {"vertrouwelijkheid, integriteit en beschikbaarheid"},
		"the possible physical, material and immaterial damage": {"gevolgen (schade)", "soorten schade"},
		"an estimate of how serious":                            {"ernstig"}},
	8: {"have the people affected been informed": {"betrokkenen geïnformeerd", "Wanneer, hoe en hoeveel"},
		"the technical and organisational measures": {"maatregelen"},
		"international aspects":                     {"grensoverschrijdende", "toezichthouders in andere EU-lidstaten"}},
	9: {"anything else": {"politie"}},
}

// readAPFormQuestions reads the questions of testdata/ap-form.md: per
// numbered section, its text split at the semicolons outside parentheses.
func readAPFormQuestions(t *testing.T) map[int][]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "ap-form.md"))
	require.NoError(t, err)
	item := regexp.MustCompile(`^(\d)\. \*\*[^*]+\*\*: (.*)$`)
	texts := map[int]string{}
	current := -1
	for line := range strings.SplitSeq(string(data), "\n") {
		if m := item.FindStringSubmatch(line); m != nil {
			current, _ = strconv.Atoi(m[1])
			texts[current] = m[2]
		} else if current >= 0 && strings.HasPrefix(line, "   ") {
			texts[current] += " " + strings.TrimSpace(line)
		} else {
			current = -1
		}
	}
	questions := map[int][]string{}
	for n, text := range texts {
		depth, start := 0, 0
		for i, r := range text + ";" {
			switch {
			case r == '(':
				depth++
			case r == ')':
				depth--
			case r == ';' && depth == 0:
				questions[n] = append(questions[n], strings.TrimSuffix(strings.TrimSpace(text[start:min(i, len(text))]), "."))
				start = i + 1
			}
		}
	}
	return questions
}

// The form asks what the AP's form asks, section by section, as DOMAIN.md
// lists it: each question there is answered by a field of that section here,
// and a question added to the list fails this test until the form asks it
// (issue 9).
func TestAuthorityFormFollowsTheAPForm(t *testing.T) {
	questions := readAPFormQuestions(t)
	require.Len(t, questions, 10, "sections 0 to 9")
	f := nl.NewAuthorityForm(completeBreach(t), formNow, breach.ControllerProfile{})
	for n, asked := range questions {
		used := map[string]bool{}
		for _, q := range asked {
			var fields []string
			for start, answering := range apFormQuestions[n] {
				if strings.HasPrefix(q, start) {
					fields, used[start] = answering, true
				}
			}
			if !assert.NotEmpty(t, fields, "section %d asks %q: which fields of the draft answer it?", n, q) {
				continue
			}
			for _, want := range fields {
				field(t, f, n, want)
			}
		}
		for start := range apFormQuestions[n] {
			assert.True(t, used[start], "section %d: %q is no longer a question of the AP's form", n, start)
		}
	}
}

// testdata/ap-form.md is the section of DOMAIN.md, word for word. DOMAIN.md
// is outside the repository; where it is not (a clean clone), only the copy
// is read.
func TestAPFormQuestionsAreDomainMDs(t *testing.T) {
	domain, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "design", "DOMAIN.md"))
	if os.IsNotExist(err) {
		t.Skip("../shared/design/DOMAIN.md is not beside this clone")
	}
	require.NoError(t, err)
	copied, err := os.ReadFile(filepath.Join("testdata", "ap-form.md"))
	require.NoError(t, err)
	assert.True(t, strings.Contains(string(domain), string(copied)), "the AP form's section of DOMAIN.md changed: copy it to testdata/ap-form.md again")
}

// An availability breach exposed nothing: the form does not tell the AP the
// data were exposed; and a moved moment of awareness says why, not that it
// was the supplier's report.
func TestAuthorityFormAvailabilityAndMovedAwareness(t *testing.T) {
	b := completeBreach(t)
	b.Assessments[0].BreachTypes = []breach.BreachType{breach.TypeAvailability}
	b.Assessments[0].CB = breach.Circumstances{Confidentiality: "none", Integrity: "none", Availability: "temporary"}
	b.AwarenessMoves = []breach.AwarenessMove{{From: formAt(-40), To: b.AwareAt, Reason: "Telefonisch gemeld", MovedAt: formAt(-39)}}
	f := nl.NewAuthorityForm(b, formNow, breach.ControllerProfile{})
	assert.Contains(t, field(t, f, 7, "vertrouwelijkheid, integriteit en beschikbaarheid").Answer, "vertrouwelijkheid: geen;")
	aware := field(t, f, 2, "op de hoogte geraakt").Answer
	assert.Contains(t, aware, "Telefonisch gemeld")
	assert.NotContains(t, aware, "eerste melding door de verwerker")
}

// Call recordings may or may not hold health data: the question stays open
// until the adviser establishes it, and a context that reveals health data
// (a client of the CAK receives long-term care) is named (issue 9).
func TestAuthorityFormSpecialData(t *testing.T) {
	b := completeBreach(t)
	b.PersonalData = []string{"naam", "spraakdata"}
	special := func() nl.FormField {
		return field(t, nl.NewAuthorityForm(b, formNow, breach.ControllerProfile{}), 4, "bijzondere persoonsgegevens")
	}
	assert.True(t, special().Missing, "not 'nee': a call recording can be about someone's health")
	b.Assessments[0].APFacts = &breach.APFacts{SpecialData: formBool(false)}
	assert.Equal(t, "nee", special().Answer)
	assert.Equal(t, nl.SourceAssessment, special().Source)
	b.Assessments[0].APFacts.SpecialData = formBool(true)
	b.Assessments[0].DPCAdjustments = []breach.DPCAdjustment{{Factor: breach.FactorContext, Change: 1, Reason: "Cliënt van het CAK: langdurige zorg"}}
	assert.Equal(t, "ja: spraakdata (gespreksopnames); af te leiden uit de context: Cliënt van het CAK: langdurige zorg", special().Answer)
	b.PersonalData = []string{"naam"}
	b.Assessments[0].APFacts = nil
	assert.Equal(t, "nee", special().Answer)
	assert.Equal(t, nl.SourceReport, special().Source)
}

// How the data were protected is given also when it did not make them
// unintelligible, and whether the key stayed safe is asked as the AP asks
// it; the sub-processor and the EU authorities come from the AP facts.
func TestAuthorityFormProtectionSubProcessorAndEUAuthorities(t *testing.T) {
	b := completeBreach(t)
	b.Assessments[0].APFacts = &breach.APFacts{Protection: "Versleuteld met BitLocker; het wachtwoord zat op een briefje bij de laptop",
		KeyCompromised: formBool(true), SubProcessorInvolved: formBool(true), SubProcessor: "Archiefbedrijf Zuid B.V.",
		CrossBorder: formBool(true), EUAuthorities: "CNIL (Frankrijk)"}
	f := nl.NewAuthorityForm(b, formNow, breach.ControllerProfile{})
	assert.Equal(t, "nee", field(t, f, 6, "versleuteld, gehasht").Answer)
	assert.Equal(t, "Versleuteld met BitLocker; het wachtwoord zat op een briefje bij de laptop", field(t, f, 6, "op welke manier").Answer)
	assert.True(t, strings.HasPrefix(field(t, f, 6, "buiten bereik").Answer, "nee: de sleutel is in verkeerde handen gekomen"))
	assert.Equal(t, "ja: Archiefbedrijf Zuid B.V.", field(t, f, 1, "subverwerker").Answer)
	assert.Equal(t, "ja", field(t, f, 8, "grensoverschrijdende").Answer)
	assert.Equal(t, "CNIL (Frankrijk)", field(t, f, 8, "toezichthouders in andere EU-lidstaten").Answer)

	b.Assessments[0].APFacts = &breach.APFacts{SubProcessorInvolved: formBool(false), KeyCompromised: formBool(false)}
	b.Assessments[0].Unintelligible = true
	f = nl.NewAuthorityForm(b, formNow, breach.ControllerProfile{})
	assert.Equal(t, "nee", field(t, f, 1, "subverwerker").Answer)
	assert.Equal(t, "ja", field(t, f, 6, "buiten bereik").Answer)
	assert.True(t, field(t, f, 6, "op welke manier").Missing, "encrypted, but how is not recorded yet")
	assert.True(t, field(t, f, 8, "toezichthouders in andere EU-lidstaten").Missing, "cross-border aspects not recorded yet")
}

// The form states what was done and never less than was decided: "ja" once
// a communication is recorded, and a notification does not tell the AP that
// there is no risk (review of issue 9).
func TestAuthorityFormFollowsTheDecision(t *testing.T) {
	b := completeBreach(t)
	b.Assessments[0].Risk = breach.RiskNone
	b.Decisions[0].InformSubjects = breach.InformNo
	b.Decisions[0].SubjectsReasoning = "Geen risico"
	f := nl.NewAuthorityForm(b, formNow, breach.ControllerProfile{})
	assert.Equal(t, "een risico voor de rechten en vrijheden van de betrokkenen, geen hoog risico", field(t, f, 7, "ernstig").Answer,
		"notified to the AP: not 'gering'")
	assert.True(t, strings.HasPrefix(field(t, f, 8, "betrokkenen geïnformeerd").Answer, "nee; reden: Geen risico"))

	b.Decisions[0].InformSubjects = breach.InformPlanned
	assert.Equal(t, "een hoog risico voor de rechten en vrijheden van de betrokkenen",
		field(t, nl.NewAuthorityForm(b, formNow, breach.ControllerProfile{}), 7, "ernstig").Answer)
	b.SubjectCommunications = []breach.SubjectCommunication{{Seq: 1, SentAt: formAt(-10), Channel: breach.SubjectLetter, Reached: 150, Text: "Beste"}}
	assert.True(t, strings.HasPrefix(field(t, nl.NewAuthorityForm(b, formNow, breach.ControllerProfile{}), 8, "betrokkenen geïnformeerd").Answer, "ja;"))
	b.Decisions[0].InformSubjects, b.Decisions[0].SubjectsExemption = breach.InformNo, breach.ExemptionDisproportionateEffort
	b.SubjectCommunications[0].Channel = breach.SubjectPublicNotice
	assert.True(t, strings.HasPrefix(field(t, nl.NewAuthorityForm(b, formNow, breach.ControllerProfile{}), 8, "betrokkenen geïnformeerd").Answer,
		"ja, met een openbare mededeling; uitzondering: informeren vergt onevenredige inspanning"))
}
