package breach

import (
	"fmt"
	"strings"
	"time"
)

// The Dutch words for what people read: mails, the register and the
// authority form use these, so a value is named the same way everywhere.

var (
	weekdays = [...]string{"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"}
	months   = [...]string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
		"september", "oktober", "november", "december"}
)

// FormatTime formats an instant for people: in Europe/Amsterdam, with the
// weekday, the date and the zone, e.g. "zondag 25 oktober 2026 09:00 (CET)".
func FormatTime(t time.Time) string {
	t = t.In(Amsterdam)
	return fmt.Sprintf("%s %s (%s)", FormatDay(t), t.Format("15:04"), t.Format("MST"))
}

// FormatDay formats the date of an instant in Europe/Amsterdam, e.g.
// "zondag 25 oktober 2026".
func FormatDay(t time.Time) string {
	t = t.In(Amsterdam)
	return fmt.Sprintf("%s %d %s %d", weekdays[t.Weekday()], t.Day(), months[t.Month()-1], t.Year())
}

// FormatDuration says how long in Dutch, to the minute: "1 dag en 3 uur",
// "2 uur en 15 minuten", "5 minuten".
func FormatDuration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	d = d.Round(time.Minute)
	days, hours, minutes := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	var parts []string
	if days > 0 {
		parts = append(parts, plural(days, "dag", "dagen"))
	}
	if hours > 0 {
		parts = append(parts, fmt.Sprintf("%d uur", hours))
	}
	if minutes > 0 && days == 0 {
		parts = append(parts, plural(minutes, "minuut", "minuten"))
	}
	switch len(parts) {
	case 0:
		return "minder dan een minuut"
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " en " + parts[len(parts)-1]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Labels for the values of the API, in Dutch.
var (
	ChannelLabels = map[string]string{"post": "per post", "email": "per e-mail", "portal": "via een portaal",
		"sms": "per sms", "phone": "telefonisch", "fax": "per fax", "other": "anders"}
	DispositionLabels = map[Disposition]string{
		DispositionDestroyed: "vernietigd", DispositionReturned: "teruggestuurd",
		DispositionPartlyReturned: "gedeeltelijk teruggestuurd", DispositionNotReturned: "niet teruggestuurd",
		DispositionUnknown: "onbekend", DispositionNotApplicable: "niet van toepassing (niets verstuurd)",
	}
	StatusLabels = map[Status]string{StatusNew: "nieuw", StatusTriage: "in behandeling",
		StatusAssessed: "beoordeeld", StatusDecided: "besloten", StatusClosed: "gesloten"}
	StageLabels = map[Stage]string{StagePreliminary: "voorlopig", StageComplete: "volledig"}
	RoleLabels  = map[Role]string{RoleSupplier: "verwerker", RoleAdviser: "Adviseur Privacy",
		RoleController: "verwerkingsverantwoordelijke", RoleAdmin: "beheerder"}
	FieldLabels = map[string]string{
		"title": "Titel", "detected_at": "Ontdekt op", "started_at": "Ontstaan op", "ongoing": "Nog gaande", "cause": "Oorzaak",
		"personal_data": "Persoonsgegevens", "subjects_min": "Minimum aantal betrokkenen", "subjects_max": "Maximum aantal betrokkenen",
		"sent_items": "Verstuurde uitingen", "item_disposition": "Vernietigd of teruggestuurd", "measures": "Maatregelen",
		"reporter": "Melder", "contract_reference": "Contractreferentie", "stage": "Stand van de melding", "aware_at": "Bewust sinds",
	}
	RiskLabels     = map[Risk]string{RiskNone: "geen risico", RiskSome: "risico", RiskHigh: "hoog risico"}
	SeverityLabels = map[SeverityLevel]string{SeverityLow: "laag", SeverityMedium: "gemiddeld", SeverityHigh: "hoog",
		SeverityVeryHigh: "zeer hoog"}
	RecommendationLabels = map[Recommendation]string{
		RecommendRegisterOnly:               "alleen registreren",
		RecommendNotifyAuthority:            "melden bij de Autoriteit Persoonsgegevens",
		RecommendNotifyAuthorityAndSubjects: "melden bij de Autoriteit Persoonsgegevens en de betrokkenen informeren",
	}
	BreachTypeLabels = map[BreachType]string{TypeConfidentiality: "vertrouwelijkheid", TypeIntegrity: "integriteit",
		TypeAvailability: "beschikbaarheid"}
	EILabels = map[string]string{"negligible": "verwaarloosbaar", "limited": "beperkt", "significant": "aanzienlijk",
		"maximum": "maximaal"}
	CBLabels = map[string]string{"none": "geen", "limited": "beperkt (bekende, beperkte ontvangers)",
		"wide": "breed (onbekende ontvangers of openbaar)", "recoverable": "herstelbaar", "irrecoverable": "onherstelbaar",
		"temporary": "tijdelijk", "permanent": "blijvend"}
	InformSubjectsLabels = map[string]string{"yes": "ja", "planned": "gepland", "no": "nee"}
	ExemptionLabels      = map[string]string{
		"unintelligible":          "de gegevens zijn onbegrijpelijk voor onbevoegden, bijvoorbeeld versleuteld (art. 34, derde lid, onder a, AVG)",
		"risk_removed":            "latere maatregelen hebben het hoge risico weggenomen (art. 34, derde lid, onder b, AVG)",
		"disproportionate_effort": "informeren vergt onevenredige inspanning; in plaats daarvan een openbare mededeling (art. 34, derde lid, onder c, AVG)",
	}
	PhaseLabels   = map[string]string{PhaseInitial: "eerste melding", PhaseSupplement: "aanvulling", PhaseWithdrawal: "intrekking"}
	OutcomeLabels = map[string]string{OutcomeHandled: "afgehandeld", OutcomeNoBreach: "geen datalek"}
)

// YesNo says ja or nee, and nothing when the answer was not given.
func YesNo(v *bool) string {
	switch {
	case v == nil:
		return ""
	case *v:
		return "ja"
	}
	return "nee"
}

// FieldLabel names a report field in Dutch.
func FieldLabel(f string) string {
	if l, ok := FieldLabels[f]; ok {
		return l
	}
	return f
}

// CategoryLabels names personal-data categories in Dutch, marking the
// special and criminal-law ones.
func CategoryLabels(codes []string) []string {
	labels := make([]string, len(codes))
	for i, code := range codes {
		c, ok := LookupCategory(code)
		switch {
		case !ok:
			labels[i] = code
		case c.Special():
			labels[i] = c.Label + " (" + string(c.Class) + ")"
		default:
			labels[i] = c.Label
		}
	}
	return labels
}

// SentItemsText describes the sent items in one line.
func SentItemsText(items []SentItem) string {
	if len(items) == 0 {
		return "niets verstuurd"
	}
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = it.Description + ", " + ChannelLabels[it.Channel]
		if it.Count != nil {
			parts[i] += fmt.Sprintf(", %d stuks", *it.Count)
		}
	}
	return strings.Join(parts, "; ")
}

// SubjectsText describes the number of data subjects.
func SubjectsText(min, max *int) string {
	switch {
	case min == nil && max == nil:
		return ""
	case min == nil:
		return fmt.Sprintf("hoogstens %d", *max)
	case max == nil:
		return fmt.Sprintf("minstens %d", *min)
	case *min == *max:
		return fmt.Sprintf("%d", *min)
	}
	return fmt.Sprintf("%d tot %d", *min, *max)
}
