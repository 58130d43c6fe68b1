package breach

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The facts the AP's notification form asks that neither the supplier's
// report nor the ENISA inputs hold: recorded by the adviser with an
// assessment, each optional, each answering a question of the form.

// APNature is the AP form's nature of a breach (section 3).
type APNature string

const (
	NatureRead   APNature = "read"   // lezen
	NatureCopy   APNature = "copy"   // kopiëren
	NatureChange APNature = "change" // veranderen
	NatureDelete APNature = "delete" // verwijderen of vernietigen
	NatureTheft  APNature = "theft"  // diefstal
)

// APNatures lists them in the form's order.
var APNatures = []APNature{NatureRead, NatureCopy, NatureChange, NatureDelete, NatureTheft}

// CauseCategory is the AP form's cause or kind of incident (section 3).
type CauseCategory string

const (
	CauseLostOrStolen   CauseCategory = "lost_or_stolen"  // a device or paper lost or stolen
	CauseHacking        CauseCategory = "hacking"         // hacking, malware or phishing
	CauseWrongRecipient CauseCategory = "wrong_recipient" // sent or shown to the wrong recipient
	CauseDisclosure     CauseCategory = "disclosure"      // unauthorised disclosure
	CauseWrongAddress   CauseCategory = "wrong_address"   // a letter or e-mail to the wrong address
	CauseOther          CauseCategory = "other"
)

// CauseCategories lists them in the form's order.
var CauseCategories = []CauseCategory{CauseLostOrStolen, CauseHacking, CauseWrongRecipient, CauseDisclosure, CauseWrongAddress, CauseOther}

// SubjectGroup is a group of people affected the AP form names (section 5).
type SubjectGroup string

const (
	GroupClients         SubjectGroup = "clients"
	GroupEmployees       SubjectGroup = "employees"
	GroupMinors          SubjectGroup = "minors"
	GroupPatients        SubjectGroup = "patients"
	GroupOtherVulnerable SubjectGroup = "other_vulnerable"
)

// SubjectGroups lists them in the form's order.
var SubjectGroups = []SubjectGroup{GroupClients, GroupEmployees, GroupMinors, GroupPatients, GroupOtherVulnerable}

// DamageKind is a kind of damage the AP form names (section 7).
type DamageKind string

const (
	DamageStigma        DamageKind = "stigmatisation" // stigmatisation or exclusion
	DamageHealth        DamageKind = "health"
	DamageIdentity      DamageKind = "identity_fraud"
	DamagePhishing      DamageKind = "spam_phishing"
	DamageFinancial     DamageKind = "financial"
	DamageReputation    DamageKind = "reputation"
	DamageLossOfControl DamageKind = "loss_of_control" // over one's own data
)

// DamageKinds lists them in the form's order.
var DamageKinds = []DamageKind{DamageStigma, DamageHealth, DamageIdentity, DamagePhishing, DamageFinancial, DamageReputation, DamageLossOfControl}

// APFacts are the facts of the AP form that nobody else records.
type APFacts struct {
	Nature        []APNature     `json:"nature,omitempty"`
	CauseCategory CauseCategory  `json:"cause_category,omitempty"`
	RecordsMin    *int           `json:"records_min,omitempty"`
	RecordsMax    *int           `json:"records_max,omitempty"`
	Groups        []SubjectGroup `json:"groups,omitempty"`
	Damage        []DamageKind   `json:"damage,omitempty"`
	// SpecialData says whether special-category or criminal data were
	// involved, where the report cannot say: a call recording is special
	// only when it is about someone's health, and being a client of the
	// controller can reveal a need for care. Nil: the report decides.
	SpecialData *bool `json:"special_data,omitempty"`
	// Protection says how the data were protected beforehand (the
	// encryption and how its key is kept; a backup).
	Protection string `json:"protection,omitempty"`
	// KeyCompromised: the key (or password) of encrypted data came into the
	// wrong hands, so that the data are not unintelligible (EDPB).
	KeyCompromised *bool      `json:"key_compromised,omitempty"`
	EndedAt        *time.Time `json:"ended_at,omitempty"`
	// SubProcessorInvolved, SubProcessor: whether a sub-processor of the
	// supplier was involved in the breach, and which (AP form section 1).
	SubProcessorInvolved *bool  `json:"sub_processor_involved,omitempty"`
	SubProcessor         string `json:"sub_processor,omitempty"`
	// PoliceReported, OtherAuthorities: whom else the breach was reported
	// to (the police, a sector CSIRT).
	PoliceReported   *bool  `json:"police_reported,omitempty"`
	OtherAuthorities string `json:"other_authorities,omitempty"`
	// CrossBorder, EUAuthorities: whether people or establishments in other
	// EU member states are involved, and which of their supervisory
	// authorities were or will be notified (AP form section 8).
	CrossBorder   *bool  `json:"cross_border,omitempty"`
	EUAuthorities string `json:"eu_authorities,omitempty"`
}

// Special reports whether the breach involves special-category or criminal
// data: as the adviser established it, else as the report's categories say.
func (f *APFacts) Special(r *Report) bool {
	if f != nil && f.SpecialData != nil {
		return *f.SpecialData
	}
	return slices.ContainsFunc(r.PersonalData, func(code string) bool {
		c, ok := LookupCategory(code)
		return ok && c.Special()
	})
}

// Vulnerable reports whether a group of vulnerable people is affected.
func (f *APFacts) Vulnerable() bool {
	return f != nil && slices.ContainsFunc(f.Groups, func(g SubjectGroup) bool {
		return g == GroupMinors || g == GroupPatients || g == GroupOtherVulnerable
	})
}

// validate checks the facts against the breach, naming each field under
// "ap_facts."; an end before the breach began or in the future cannot be
// true.
func (f *APFacts) validate(p *Problems, b *Breach, now time.Time) {
	if f == nil {
		return
	}
	codeList(p, "ap_facts.nature", f.Nature, APNatures)
	if f.CauseCategory != "" && !slices.Contains(CauseCategories, f.CauseCategory) {
		p.Add("ap_facts.cause_category", "moet %s zijn", orList(CauseCategories))
	}
	switch {
	case f.RecordsMin != nil && *f.RecordsMin < 0:
		p.Add("ap_facts.records_min", "mag niet negatief zijn")
	case f.RecordsMax != nil && *f.RecordsMax < 0:
		p.Add("ap_facts.records_max", "mag niet negatief zijn")
	case f.RecordsMin != nil && f.RecordsMax != nil && *f.RecordsMax < *f.RecordsMin:
		p.Add("ap_facts.records_max", "is kleiner dan records_min (%d)", *f.RecordsMin)
	}
	codeList(p, "ap_facts.groups", f.Groups, SubjectGroups)
	codeList(p, "ap_facts.damage", f.Damage, DamageKinds)
	if f.SpecialData != nil && !*f.SpecialData {
		for _, code := range b.PersonalData {
			if c, ok := LookupCategory(code); ok && c.Special() {
				p.Add("ap_facts.special_data", "kan niet nee zijn: de melding noemt %s", strings.ToLower(c.Label))
				break
			}
		}
	}
	for _, t := range []struct {
		field string
		value *string
	}{{"protection", &f.Protection}, {"sub_processor", &f.SubProcessor}, {"other_authorities", &f.OtherAuthorities}, {"eu_authorities", &f.EUAuthorities}} {
		*t.value = strings.TrimSpace(*t.value)
		text(p, "ap_facts."+t.field, *t.value, maxText, false)
	}
	switch involved := f.SubProcessorInvolved; {
	case involved != nil && *involved && f.SubProcessor == "":
		p.Add("ap_facts.sub_processor", "is verplicht als sub_processor_involved true is: noem de subverwerker")
	case (involved == nil || !*involved) && f.SubProcessor != "":
		p.Add("ap_facts.sub_processor_involved", "moet true zijn als sub_processor een subverwerker noemt")
	}
	if f.EUAuthorities != "" && (f.CrossBorder == nil || !*f.CrossBorder) {
		p.Add("ap_facts.cross_border", "moet true zijn als eu_authorities toezichthouders in andere lidstaten noemt")
	}
	if f.EndedAt != nil {
		end := f.EndedAt.UTC()
		f.EndedAt = &end
		switch {
		case end.After(now.Add(ClockSkew)):
			p.Add("ap_facts.ended_at", "ligt in de toekomst")
		case end.Before(b.Began()):
			p.Add("ap_facts.ended_at", "ligt voor het begin van het datalek (%s)", b.Began().Format(time.RFC3339))
		}
	}
}

// codeList checks a list of codes: each one of allowed, none twice; each
// bad one is named by its index under field.
func codeList[T ~string](p *Problems, field string, values, allowed []T) {
	for i, v := range values {
		switch {
		case !slices.Contains(allowed, v):
			p.Add(fmt.Sprintf("%s[%d]", field, i), "moet %s zijn", orList(allowed))
		case slices.Index(values, v) != i:
			p.Add(fmt.Sprintf("%s[%d]", field, i), "staat er dubbel in")
		}
	}
}
