package nl

import (
	"fmt"
	"strings"

	"datalek/breach"
)

// The Dutch names of the domain's codes. Each function returns the code
// itself when it has no label, so that an unknown value shows as it is
// rather than as nothing; the empty code reads as empty.

var (
	channels = map[breach.Channel]string{breach.ChannelPost: "per post", breach.ChannelEmail: "per e-mail",
		breach.ChannelPortal: "via een portaal", breach.ChannelSMS: "per sms", breach.ChannelPhone: "telefonisch",
		breach.ChannelFax: "per fax", breach.ChannelOther: "anders"}
	dispositions = map[breach.Disposition]string{
		breach.DispositionDestroyed: "vernietigd", breach.DispositionReturned: "teruggestuurd",
		breach.DispositionPartlyReturned: "gedeeltelijk teruggestuurd", breach.DispositionNotReturned: "niet teruggestuurd",
		breach.DispositionUnknown: "onbekend", breach.DispositionNotApplicable: "niet van toepassing (niets verstuurd)",
	}
	statuses = map[breach.Status]string{breach.StatusNew: "nieuw", breach.StatusTriage: "in behandeling",
		breach.StatusAssessed: "beoordeeld", breach.StatusDecided: "besloten", breach.StatusClosed: "gesloten"}
	stages = map[breach.Stage]string{breach.StagePreliminary: "voorlopig", breach.StageComplete: "volledig"}
	roles  = map[breach.Role]string{breach.RoleSupplier: "verwerker", breach.RoleAdviser: "Adviseur Privacy",
		breach.RoleController: "verwerkingsverantwoordelijke", breach.RoleAdmin: "beheerder"}
	fields = map[string]string{
		"title": "Titel", "detected_at": "Ontdekt op", "started_at": "Ontstaan op", "ongoing": "Nog gaande", "cause": "Oorzaak",
		"personal_data": "Persoonsgegevens", "subjects_min": "Minimum aantal betrokkenen", "subjects_max": "Maximum aantal betrokkenen",
		"sent_items": "Verstuurde uitingen", "item_disposition": "Vernietigd of teruggestuurd", "measures": "Maatregelen",
		"reporter": "Melder", "contract_reference": "Contractreferentie", "stage": "Stand van de melding", "aware_at": "Moment van kennisname",
	}
	risks      = map[breach.Risk]string{breach.RiskNone: "geen risico", breach.RiskSome: "risico", breach.RiskHigh: "hoog risico"}
	severities = map[breach.SeverityLevel]string{breach.SeverityLow: "laag", breach.SeverityMedium: "gemiddeld",
		breach.SeverityHigh: "hoog", breach.SeverityVeryHigh: "zeer hoog"}
	recommendations = map[breach.Recommendation]string{
		breach.RecommendRegisterOnly:               "alleen registreren",
		breach.RecommendNotifyAuthority:            "melden bij de Autoriteit Persoonsgegevens",
		breach.RecommendNotifyAuthorityAndSubjects: "melden bij de Autoriteit Persoonsgegevens en de betrokkenen informeren",
	}
	breachTypes = map[breach.BreachType]string{breach.TypeConfidentiality: "vertrouwelijkheid",
		breach.TypeIntegrity: "integriteit", breach.TypeAvailability: "beschikbaarheid"}
	eis = map[breach.EI]string{breach.EINegligible: "verwaarloosbaar", breach.EILimited: "beperkt",
		breach.EISignificant: "aanzienlijk", breach.EIMaximum: "maximaal"}
	circumstances = map[string]string{"none": "geen", "limited": "beperkt (bekende, beperkte ontvangers)",
		"wide": "breed (onbekende ontvangers of openbaar)", "recoverable": "herstelbaar", "irrecoverable": "onherstelbaar",
		"temporary": "tijdelijk", "permanent": "blijvend"}
	informSubjects = map[breach.InformSubjects]string{breach.InformYes: "ja", breach.InformPlanned: "gepland", breach.InformNo: "nee"}
	exemptions     = map[breach.Exemption]string{
		breach.ExemptionUnintelligible:         "de gegevens zijn onbegrijpelijk voor onbevoegden, bijvoorbeeld versleuteld (art. 34, derde lid, onder a, AVG)",
		breach.ExemptionRiskRemoved:            "latere maatregelen hebben het hoge risico weggenomen (art. 34, derde lid, onder b, AVG)",
		breach.ExemptionDisproportionateEffort: "informeren vergt onevenredige inspanning; in plaats daarvan een openbare mededeling (art. 34, derde lid, onder c, AVG)",
	}
	phases = map[breach.Phase]string{breach.PhaseInitial: "eerste melding", breach.PhaseSupplement: "aanvulling",
		breach.PhaseWithdrawal: "intrekking"}
	outcomes        = map[breach.Outcome]string{breach.OutcomeHandled: "afgehandeld", breach.OutcomeNoBreach: "geen datalek"}
	subjectChannels = map[breach.SubjectChannel]string{breach.SubjectLetter: "per brief", breach.SubjectEmail: "per e-mail",
		breach.SubjectSMS: "per sms", breach.SubjectPhone: "telefonisch", breach.SubjectPublicNotice: "met een openbare mededeling"}
	apNatures = map[breach.APNature]string{breach.NatureRead: "lezen", breach.NatureCopy: "kopiëren", breach.NatureChange: "veranderen",
		breach.NatureDelete: "verwijderen of vernietigen", breach.NatureTheft: "diefstal"}
	causeCategories = map[breach.CauseCategory]string{
		breach.CauseLostOrStolen: "verlies of diefstal van een apparaat of papier", breach.CauseHacking: "hacking, malware of phishing",
		breach.CauseWrongRecipient: "persoonsgegevens verstuurd naar of getoond aan de verkeerde ontvanger",
		breach.CauseDisclosure:     "onbevoegde openbaarmaking", breach.CauseWrongAddress: "brief of e-mail naar het verkeerde adres",
		breach.CauseOther: "anders"}
	subjectGroups = map[breach.SubjectGroup]string{breach.GroupClients: "klanten", breach.GroupEmployees: "medewerkers",
		breach.GroupMinors: "minderjarigen", breach.GroupPatients: "patiënten", breach.GroupOtherVulnerable: "andere kwetsbare groepen"}
	damageKinds = map[breach.DamageKind]string{breach.DamageStigma: "stigmatisering of uitsluiting",
		breach.DamageHealth: "schade aan de gezondheid", breach.DamageIdentity: "(identiteits)fraude",
		breach.DamagePhishing: "spam of phishing", breach.DamageFinancial: "financiële schade",
		breach.DamageReputation: "schade aan de goede naam", breach.DamageLossOfControl: "verlies van controle over de eigen gegevens"}
	deadlineStates = map[breach.DeadlineState]string{breach.DeadlineRunning: "loopt", breach.DeadlineOverdue: "verstreken",
		breach.DeadlineMet: "gehaald", breach.DeadlineLate: "te laat gehaald", breach.DeadlineStopped: "niet meer van toepassing"}
	adviceRules = map[breach.AdviceRule]string{
		breach.RuleSeverity:           "de ernst volgens ENISA",
		breach.RuleUnintelligible:     "onbegrijpelijke gegevens: goed versleuteld, sleutel niet in verkeerde handen (EDPB)",
		breach.RuleRestoredFromBackup: "hersteld uit een back-up, zonder verlies van vertrouwelijkheid (EDPB)",
		breach.RuleTrustedRecipient:   "bij een bekende, betrouwbare ontvanger die de stukken terugstuurde of vernietigde (EDPB)",
	}
	adviceFlags = map[breach.AdviceFlag]string{
		breach.FlagManySubjects: "veel betrokkenen (1.000 of meer)",
		breach.FlagVulnerable:   "kwetsbare betrokkenen",
	}
	dpcFactors = map[breach.DPCFactor]string{
		breach.FactorVolume: "hoeveelheid gegevens", breach.FactorContext: "context van de verwerkingsverantwoordelijke",
		breach.FactorVulnerable: "kwetsbare betrokkenen", breach.FactorInvalid: "onjuiste of verouderde gegevens",
		breach.FactorPublic: "al openbare gegevens",
	}
)

// label returns the label of a code, or the code itself when it has none.
func label[K ~string](labels map[K]string, k K) string {
	if l, ok := labels[k]; ok {
		return l
	}
	return string(k)
}

// Channel names how an item was sent: "post" is "per post".
func Channel(c breach.Channel) string { return label(channels, c) }

// Disposition names what became of the sent items.
func Disposition(d breach.Disposition) string { return label(dispositions, d) }

// Status names where the handling of a breach stands.
func Status(s breach.Status) string { return label(statuses, s) }

// Stage names the stage of a report: voorlopig or volledig.
func Stage(s breach.Stage) string { return label(stages, s) }

// Role names a role, as a person holding it is called.
func Role(r breach.Role) string { return label(roles, r) }

// Field names a field of the report by its JSON name, e.g. "Oorzaak" for
// "cause".
func Field(f string) string { return label(fields, f) }

// Risk names the adviser's conclusion on the risk to the data subjects.
func Risk(r breach.Risk) string { return label(risks, r) }

// Severity names an ENISA severity level.
func Severity(l breach.SeverityLevel) string { return label(severities, l) }

// Recommendation names what the severity recommends.
func Recommendation(r breach.Recommendation) string { return label(recommendations, r) }

// BreachType names a kind of breach: vertrouwelijkheid, integriteit,
// beschikbaarheid.
func BreachType(t breach.BreachType) string { return label(breachTypes, t) }

// EI names an ENISA ease-of-identification value.
func EI(e breach.EI) string { return label(eis, e) }

// CB names an ENISA circumstance value (of confidentiality, integrity or
// availability). The lowest loss of confidentiality is not "none": ENISA
// means data exposed, with no sign of unlawful processing.
func CB[T breach.ConfidentialityLoss | breach.IntegrityLoss | breach.AvailabilityLoss](c T) string {
	if v, ok := any(c).(breach.ConfidentialityLoss); ok && v == breach.ConfidentialityNone {
		return "blootgesteld, zonder aanwijzing van onrechtmatige verwerking"
	}
	return label(circumstances, string(c))
}

// InformSubjects names the decision on informing the data subjects.
func InformSubjects(v breach.InformSubjects) string { return label(informSubjects, v) }

// Exemption names a ground of GDPR Art. 34(3) for not informing the data
// subjects, with its article.
func Exemption(e breach.Exemption) string { return label(exemptions, e) }

// Phase names a notification to the AP: eerste melding, aanvulling,
// intrekking.
func Phase(p breach.Phase) string { return label(phases, p) }

// Outcome names how a breach was closed.
func Outcome(o breach.Outcome) string { return label(outcomes, o) }

var (
	notices = map[breach.NoticeKind]string{
		breach.NoticeFiled:        "de mail over de nieuwe melding",
		breach.NoticeAcknowledged: "de ontvangstbevestiging van de melding",
		breach.NoticeAmended:      "de mail over de gewijzigde melding",
		breach.NoticeUpdated:      "de mail over een nieuwe ontwikkeling",
		breach.NoticeAwareness:    "de mail over de verplaatste start van de 72-uurstermijn",
		breach.NoticeDigest:       "het dagelijkse overzicht van open datalekken",
		breach.NoticeBounce:       "de mail over een niet afgeleverde mail",
		breach.NoticeStatus:       "de mail dat de melding in behandeling is genomen",
		breach.NoticeAssessment:   "de mail over de beoordeling",
		breach.NoticeDecision:     "de mail over het besluit",
		breach.NoticeNotification: "de mail over de melding bij de Autoriteit Persoonsgegevens",
		breach.NoticeClosed:       "de mail over het afsluiten van het datalek",
		breach.NoticeQuestion:     "de vraag over de melding",
		breach.NoticeAnswer:       "de mail over het antwoord op een vraag",
		breach.NoticeStaffAccess:  "de mail dat iemand toegang tot de datalekken kreeg",
	}
	alerts = map[breach.AlertKind]string{
		breach.AlertProcessorReminder: "de herinnering om de melding aan te vullen",
		breach.AlertProcessorOverdue:  "de waarschuwing dat de volledige melding te laat is",
		breach.AlertAuthorityReminder: "de herinnering om te melden bij de Autoriteit Persoonsgegevens",
		breach.AlertAuthorityOverdue:  "de waarschuwing dat de 72-uurstermijn verstreken is",
		breach.AlertQuestionReminder:  "de herinnering om een vraag te beantwoorden",
		breach.AlertQuestionOverdue:   "de waarschuwing dat een vraag niet op tijd is beantwoord",
		breach.AlertSubjectsOverdue:   "de waarschuwing dat de betrokkenen nog niet zijn geïnformeerd",
	}
)

// Mail says in words what mail a notice of kind is ("de ontvangstbevestiging
// van de melding"); for an alert, which alert.
func Mail(kind breach.NoticeKind, alert breach.AlertKind) string {
	if kind == breach.NoticeAlert && alert != "" {
		return label(alerts, alert)
	}
	return label(notices, kind)
}

// APNature is the AP form's name of a nature of a breach.
func APNature(n breach.APNature) string { return label(apNatures, n) }

// CauseCategory is the AP form's name of a cause.
func CauseCategory(c breach.CauseCategory) string { return label(causeCategories, c) }

// SubjectGroup is the AP form's name of a group of people affected.
func SubjectGroup(g breach.SubjectGroup) string { return label(subjectGroups, g) }

// DamageKind is the AP form's name of a kind of damage.
func DamageKind(d breach.DamageKind) string { return label(damageKinds, d) }

// DeadlineState names where a deadline stands.
func DeadlineState(s breach.DeadlineState) string { return label(deadlineStates, s) }

// SubjectChannel says how the people affected were told.
func SubjectChannel(c breach.SubjectChannel) string { return label(subjectChannels, c) }

// People counts people: "1 betrokkene", "1.200 betrokkenen".
func People(n int) string {
	if n == 1 {
		return "1 betrokkene"
	}
	return Count(n) + " betrokkenen"
}

// AdviceRule is the Dutch name of a rule the recommendation followed.
func AdviceRule(r breach.AdviceRule) string { return label(adviceRules, r) }

// AdviceFlag is the Dutch name of a factor to weigh beside the recommendation.
func AdviceFlag(f breach.AdviceFlag) string { return label(adviceFlags, f) }

// DPCFactor is the Dutch name of a reason the DPC was moved.
func DPCFactor(f breach.DPCFactor) string { return label(dpcFactors, f) }

// Advice says in one line what the advice is and why: the recommendation,
// the rules it followed, and the factors to weigh beside it.
func Advice(a *breach.Assessment) string {
	s := Recommendation(a.Recommendation)
	if len(a.Rules) > 0 {
		rules := make([]string, len(a.Rules))
		for i, r := range a.Rules {
			rules[i] = AdviceRule(r)
		}
		s += "; regel: " + strings.Join(rules, "; ")
	}
	if len(a.Flags) > 0 {
		flags := make([]string, len(a.Flags))
		for i, f := range a.Flags {
			flags[i] = AdviceFlag(f)
		}
		s += ". Weeg mee: " + strings.Join(flags, ", ")
	}
	return s
}

// DPCAdjustments lists the reasoned moves of a DPC, one per line.
func DPCAdjustments(adjustments []breach.DPCAdjustment) string {
	lines := make([]string, len(adjustments))
	for i, a := range adjustments {
		lines[i] = fmt.Sprintf("%s %+d: %s", DPCFactor(a.Factor), a.Change, a.Reason)
	}
	return strings.Join(lines, "\n")
}
