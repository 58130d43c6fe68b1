package nl

import (
	"strings"

	"datalek/breach"
)

// APFacts lists the AP facts an adviser recorded with an assessment, each
// labelled, for the register: an inspector sees what the AP form was
// answered from. Facts not recorded are left out; none gives "".
func APFacts(f *breach.APFacts) string {
	if f == nil {
		return ""
	}
	var parts []string
	add := func(label, value string) {
		if value != "" {
			parts = append(parts, label+": "+value)
		}
	}
	add("aard", JoinLabels(f.Nature, APNature))
	add("oorzaak", CauseCategory(f.CauseCategory))
	if f.RecordsMin != nil || f.RecordsMax != nil {
		add("records", Subjects(f.RecordsMin, f.RecordsMax))
	}
	add("groepen", JoinLabels(f.Groups, SubjectGroup))
	add("schade", JoinLabels(f.Damage, DamageKind))
	add("bijzondere gegevens", YesNo(f.SpecialData))
	add("beveiliging", f.Protection)
	add("sleutel in verkeerde handen", YesNo(f.KeyCompromised))
	add("geëindigd", timeText(f.EndedAt))
	add("subverwerker", YesNo(f.SubProcessorInvolved))
	add("welke subverwerker", f.SubProcessor)
	add("politie", YesNo(f.PoliceReported))
	add("andere instanties", f.OtherAuthorities)
	add("grensoverschrijdend", YesNo(f.CrossBorder))
	add("toezichthouders in andere lidstaten", f.EUAuthorities)
	return strings.Join(parts, "; ")
}

// JoinLabels names codes by their Dutch labels, separated by commas, as
// mails, the register and the pages list them.
func JoinLabels[T ~string](codes []T, label func(T) string) string {
	labels := make([]string, len(codes))
	for i, c := range codes {
		labels[i] = label(c)
	}
	return strings.Join(labels, ", ")
}
