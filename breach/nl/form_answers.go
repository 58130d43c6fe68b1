package nl

// How the AP form's answers are written: section 0 (the notification and
// its deadline), times, counts, the reporter, the number of records, the
// AP's words for a breach's nature and seriousness, and the form as text.

import (
	"datalek/breach"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// formNotification fills section 0: the law, which kind of notification
// this is, and where the 72-hour deadline stands.
func formNotification(s *FormSection, in formInput) {
	b := in.b
	s.add("Onder welke wet meldt u het datalek?", "de Algemene verordening gegevensbescherming (AVG)", SourceService)
	initial := b.InitialNotification()
	withdrawn := slices.ContainsFunc(b.AuthorityNotifications, func(n breach.AuthorityNotification) bool { return n.Phase == breach.PhaseWithdrawal })
	kind, number := "nieuwe melding", "niet van toepassing: nieuwe melding"
	switch {
	case initial != nil && withdrawn:
		kind, number = "intrekking van melding "+initial.Reference, initial.Reference
	case initial != nil:
		kind, number = "vervolgmelding (aanvulling) op melding "+initial.Reference, initial.Reference
	}
	s.add("Gaat het om een nieuwe melding, een vervolgmelding (aanvulling of wijziging) of een intrekking?", kind, SourceService)
	s.add("Meldingsnummer van de eerdere melding", number, SourceService)
	deadline, _ := authorityDeadline(b, in.dec, in.now)
	s.add("Termijn van 72 uur (art. 33, eerste lid, AVG)", deadline, SourceService)
}

// authorityDeadline says where the 72-hour deadline stands at now, and
// answers why the notification is late: not applicable, the reason
// recorded, or empty while it is overdue or late without one.
func authorityDeadline(b *breach.Breach, dec *breach.Decision, now time.Time) (deadline, delay string) {
	d := b.DeadlinesAt(now).Authority
	due := "uiterlijk " + Time(d.DueAt) + ", 72 uur na " + Time(b.AwareAt)
	switch d.State {
	case breach.DeadlineRunning:
		return fmt.Sprintf("%s; nog %s", due, Duration(d.DueAt.Sub(now))), "niet van toepassing: de termijn loopt nog"
	case breach.DeadlineOverdue:
		return fmt.Sprintf("%s; de termijn is %s geleden verstreken en er is nog niet gemeld: "+
			"de melding moet de redenen voor de vertraging bevatten (art. 33, eerste lid, AVG)", due, Duration(now.Sub(d.DueAt))), ""
	case breach.DeadlineMet:
		return fmt.Sprintf("%s; gemeld op %s, binnen de termijn", due, Time(*d.FulfilledAt)), "niet van toepassing: binnen de termijn gemeld"
	case breach.DeadlineLate:
		if initial := b.InitialNotification(); initial != nil {
			delay = initial.DelayReason
		}
		return fmt.Sprintf("%s; gemeld op %s, %s na de termijn (art. 33, eerste lid, AVG: met redenen voor de vertraging)",
			due, Time(*d.FulfilledAt), Duration(d.FulfilledAt.Sub(d.DueAt))), delay
	}
	why := "het datalek is gesloten zonder melding"
	if dec != nil && !dec.NotifyAuthority {
		why = "de verwerkingsverantwoordelijke heeft besloten niet te melden"
		if dec.AuthorityReasoning != "" {
			why += ", omdat: " + dec.AuthorityReasoning
		}
	}
	return fmt.Sprintf("%s; vervalt: %s", due, why), "niet van toepassing: " + why
}

// Text renders the form as plain text a person can copy from: a header with the reference,
// each section "N. Titel" underlined, each field "Vraag: antwoord" (or "Vraag: [NOG IN TE VULLEN]"),
// and at the end a list "Nog te beantwoorden:" of the missing ones.
func (f *AuthorityForm) Text() string {
	var w strings.Builder
	w.WriteString("Concept-melding datalek aan de Autoriteit Persoonsgegevens\n")
	fmt.Fprintf(&w, "Kenmerk: %s\n", f.Reference)
	w.WriteString("Vooringevuld uit de melding van de verwerker, de beoordeling en het besluit; neem de antwoorden over in het meldformulier van de AP.\n")
	for _, s := range f.Sections {
		head := fmt.Sprintf("%d. %s", s.Number, s.Title)
		fmt.Fprintf(&w, "\n%s\n%s\n", head, strings.Repeat("-", utf8.RuneCountInString(head)))
		for _, fl := range s.Fields {
			answer := FormPlaceholder
			if !fl.Missing {
				// Continuation lines of free text are indented, so each answer stays one block.
				answer = strings.ReplaceAll(fl.Answer, "\n", "\n    ")
			}
			fmt.Fprintf(&w, "%s: %s\n", fl.Question, answer)
		}
	}
	w.WriteString("\nNog te beantwoorden:")
	if len(f.Missing) == 0 {
		w.WriteString(" niets\n")
		return w.String()
	}
	w.WriteString("\n")
	for _, m := range f.Missing {
		fmt.Fprintf(&w, "- %s\n", m)
	}
	return w.String()
}

func timeText(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return Time(*t)
}

func countText(n *int) string {
	if n == nil {
		return ""
	}
	return Count(*n)
}

func reporterText(r breach.Reporter) string {
	if strings.TrimSpace(r.Name) == "" {
		return ""
	}
	parts := []string{r.Name}
	if r.Function != "" {
		parts = append(parts, r.Function)
	}
	if r.Phone != "" {
		parts = append(parts, "telefoon "+r.Phone)
	}
	if r.Email != "" {
		parts = append(parts, "e-mail "+r.Email)
	}
	return strings.Join(parts, ", ")
}

// recordsText estimates the number of records from the counts of the sent
// items; empty when no count is given.
func recordsText(items []breach.SentItem) string {
	total, counted := 0, 0
	for _, it := range items {
		if it.Count != nil {
			total += *it.Count
			counted++
		}
	}
	switch {
	case counted == 0:
		return ""
	case counted < len(items):
		return "minstens " + Count(total) + " (verstuurde uitingen; niet van elke uiting is het aantal bekend)"
	}
	return "ongeveer " + Count(total) + " (verstuurde uitingen)"
}

// apNature is the AP form's nature of a breach for each kind of loss.
var apNature = map[breach.BreachType]string{
	breach.TypeConfidentiality: "lezen of kopiëren (vertrouwelijkheid)",
	breach.TypeIntegrity:       "veranderen (integriteit)",
	breach.TypeAvailability:    "verwijderen of vernietigen (beschikbaarheid)",
}

// seriousnessOf is how the controller states to the AP how serious the
// consequences are, from the adviser's conclusion the decision rests on.
var seriousnessOf = map[breach.Risk]string{
	breach.RiskNone: "gering: waarschijnlijk geen risico voor de rechten en vrijheden van de betrokkenen",
	breach.RiskSome: "een risico voor de rechten en vrijheden van de betrokkenen, geen hoog risico",
	breach.RiskHigh: "een hoog risico voor de rechten en vrijheden van de betrokkenen",
}
