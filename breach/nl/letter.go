package nl

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"datalek/breach"
)

// The draft of the letter to the people affected (Art. 34): in plain Dutch
// (B1, as Dutch government writes), with what Art. 34(2) asks (what
// happened, a contact point, the likely consequences, the measures taken)
// and the EDPB's advice on what people can do themselves. It is a draft:
// the controller edits it, and what is sent is recorded as a communication.

// SubjectsLetter is the draft of the letter to the people affected.
type SubjectsLetter struct {
	Reference string            `json:"reference"`
	DraftedAt time.Time         `json:"drafted_at"`
	Subject   string            `json:"subject"`
	Parts     []LetterParagraph `json:"parts"`
	// Missing lists what the draft could not fill in, each marked in the
	// text as [NOG IN TE VULLEN: …].
	Missing []string `json:"missing"`
}

// LetterParagraph is one part of the letter, under a question a reader asks.
type LetterParagraph struct {
	Heading string `json:"heading,omitempty"`
	Text    string `json:"text"`
}

// open marks what the draft cannot fill in, and lists it.
func (l *SubjectsLetter) open(what string) string {
	l.Missing = append(l.Missing, what)
	return "[NOG IN TE VULLEN: " + what + "]"
}

func (l *SubjectsLetter) add(heading, text string) {
	l.Parts = append(l.Parts, LetterParagraph{Heading: heading, Text: text})
}

// selfHelp is the EDPB's concrete advice per kind of data: what people can
// do to protect themselves.
var selfHelp = []struct {
	codes  []string
	advice string
}{
	{[]string{"bsn", "a_nummer"}, "Wees alert op misbruik van uw gegevens, zoals identiteitsfraude. Krijgt u post, rekeningen of berichten over zaken die u niet kent? Neem dan contact op met de organisatie die ze stuurt, en met ons."},
	{[]string{"iban", "automatische_incasso", "inkomensgegevens", "vermogen"}, "Controleer de komende maanden uw bankafschriften. Ziet u een afschrijving die u niet kent? Neem dan contact op met uw bank."},
	{[]string{"emailadres", "telefoonnummer"}, "Wees extra voorzichtig met e-mails, sms'jes en telefoontjes die om uw gegevens vragen of u naar een website sturen. Wij vragen u nooit om uw wachtwoord of bankgegevens."},
	{[]string{"inloggegevens"}, "Verander uw wachtwoord. Gebruikt u hetzelfde wachtwoord ook ergens anders? Verander het daar ook."},
}

// NewSubjectsLetter drafts the letter to the people affected of b at now.
func NewSubjectsLetter(b *breach.Breach, now time.Time, controller breach.ControllerProfile) SubjectsLetter {
	l := SubjectsLetter{Reference: b.Reference, DraftedAt: now, Subject: letterSubject(b.LatestAssessment())}
	r := b.Report
	l.add("", "Beste heer, mevrouw,")
	l.add("", "Wij schrijven u omdat er iets mis is gegaan met uw persoonsgegevens. Dat spijt ons. In deze brief leest u wat er is gebeurd, wat dat voor u kan betekenen en wat wij eraan doen.")
	what := fmt.Sprintf("%s werkt voor ons. Op %s ontdekte %s een probleem. %s", b.Organisation, Day(r.DetectedAt), b.Organisation,
		sentence(r.Title))
	if r.Cause != "" && !strings.EqualFold(sentence(r.Cause), sentence(r.Title)) {
		what += " " + sentence(r.Cause)
	}
	l.add("Wat is er gebeurd?", what)
	var data string
	if len(r.PersonalData) == 0 {
		data = l.open("welke gegevens van u het betreft")
	} else {
		labels := make([]string, len(r.PersonalData))
		for i, code := range r.PersonalData {
			labels[i] = CategoryLabel(code)
		}
		data = "Het gaat om deze gegevens van u: " + strings.Join(labels, ", ") + "."
	}
	l.add("Om welke gegevens gaat het?", data)
	var consequences string
	if a := b.LatestAssessment(); a != nil && a.Consequences != "" {
		consequences = sentence(a.Consequences)
	} else {
		consequences = l.open("wat de gevolgen voor u kunnen zijn")
	}
	l.add("Wat kan dit voor u betekenen?", consequences)
	measures := sentence(r.Measures)
	if measures == "" {
		measures = l.open("welke maatregelen zijn genomen")
	}
	l.add("Wat hebben wij gedaan?", measures)
	var advice []string
	for _, h := range selfHelp {
		if exposed(b.LatestAssessment()) && slices.ContainsFunc(r.PersonalData, func(code string) bool { return slices.Contains(h.codes, code) }) {
			advice = append(advice, h.advice)
		}
	}
	advice = append(advice, "Merkt u iets vreemds, of heeft u vragen? Neem dan contact met ons op.")
	l.add("Wat kunt u zelf doen?", strings.Join(advice, "\n"))
	contact := controller.ContactForSubjects()
	if contact == "" {
		contact = l.open("naam, telefoonnummer en e-mailadres van het contactpunt of de functionaris gegevensbescherming")
	}
	l.add("Heeft u vragen?", fmt.Sprintf("Neem dan contact op met %s. Noem daarbij dit kenmerk: %s.", contact, b.Reference))
	closing := "Met vriendelijke groet,\n" + l.open("naam en functie van de ondertekenaar")
	if controller.Name != "" {
		closing += "\n" + controller.Name
	}
	l.add("", closing)
	return l
}

// exposed reports whether the data may have been seen by others: the
// advice against misuse is for them, not for data that were only
// unavailable for a while. Before an assessment, they may have been.
func exposed(a *breach.Assessment) bool {
	return a == nil || slices.Contains(a.BreachTypes, breach.TypeConfidentiality) || a.CB.Confidentiality != breach.ConfidentialityNone
}

// letterSubject says in the subject line what happened to the data, by the
// kind of breach the assessment found: the letter about a ransomware attack
// that exposed nothing does not say the data went to someone else.
func letterSubject(a *breach.Assessment) string {
	if a == nil {
		return "Er is iets misgegaan met uw persoonsgegevens"
	}
	has := func(t breach.BreachType) bool { return slices.Contains(a.BreachTypes, t) }
	switch {
	case exposed(a):
		return "Uw persoonsgegevens zijn mogelijk bij iemand anders terechtgekomen"
	case has(breach.TypeIntegrity):
		return "Uw persoonsgegevens zijn mogelijk veranderd"
	case a.CB.Availability == breach.AvailabilityPermanent:
		return "Uw persoonsgegevens zijn verloren gegaan"
	}
	return "Uw persoonsgegevens waren een tijd niet beschikbaar"
}

// Text is the letter as plain text, to copy into a letter or a mail.
func (l SubjectsLetter) Text() string {
	var s strings.Builder
	fmt.Fprintf(&s, "Onderwerp: %s\nKenmerk: %s\n\n", l.Subject, l.Reference)
	for _, p := range l.Parts {
		if p.Heading != "" {
			s.WriteString(p.Heading + "\n")
		}
		s.WriteString(p.Text + "\n\n")
	}
	if len(l.Missing) > 0 {
		s.WriteString("Nog in te vullen:\n")
		for _, m := range l.Missing {
			s.WriteString("- " + m + "\n")
		}
	}
	return s.String()
}

// sentence makes free text a sentence: a capital first, a full stop last.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	first, size := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(first)) + s[size:]
	if strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") {
		return s
	}
	return s + "."
}
