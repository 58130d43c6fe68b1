package notify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"strings"
	"time"

	"datalek/breach"
)

var (
	weekdays = [...]string{"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"}
	months   = [...]string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
		"september", "oktober", "november", "december"}
)

// when formats an instant for people: in Europe/Amsterdam, with the weekday,
// the date and the zone, e.g. "zondag 25 oktober 2026 09:00 (CET)".
func when(t time.Time) string {
	t = t.In(breach.Amsterdam)
	return fmt.Sprintf("%s %d %s %d %s (%s)", weekdays[t.Weekday()], t.Day(), months[t.Month()-1], t.Year(),
		t.Format("15:04"), t.Format("MST"))
}

func day(t time.Time) string {
	t = t.In(breach.Amsterdam)
	return fmt.Sprintf("%s %d %s %d", weekdays[t.Weekday()], t.Day(), months[t.Month()-1], t.Year())
}

// duration says how long in Dutch, to the minute: "1 dag en 3 uur",
// "2 uur en 15 minuten", "5 minuten".
func duration(d time.Duration) string {
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

const missing = "(nog niet opgegeven)"

func orMissing(s string) string {
	if s == "" {
		return missing
	}
	return s
}

func optionalTime(t *time.Time) string {
	if t == nil {
		return missing
	}
	return when(*t)
}

func yesNo(b *bool) string {
	switch {
	case b == nil:
		return "niet opgegeven"
	case *b:
		return "ja"
	}
	return "nee"
}

func categories(codes []string) string {
	if len(codes) == 0 {
		return missing
	}
	labels := make([]string, len(codes))
	for i, code := range codes {
		c, ok := breach.LookupCategory(code)
		switch {
		case !ok:
			labels[i] = code
		case c.Special():
			labels[i] = c.Label + " (" + string(c.Class) + ")"
		default:
			labels[i] = c.Label
		}
	}
	return strings.Join(labels, ", ")
}

func subjects(min, max *int) string {
	switch {
	case min == nil && max == nil:
		return missing
	case min == nil:
		return fmt.Sprintf("hoogstens %d", *max)
	case max == nil:
		return fmt.Sprintf("minstens %d", *min)
	case *min == *max:
		return fmt.Sprintf("%d", *min)
	}
	return fmt.Sprintf("%d tot %d", *min, *max)
}

var channelLabels = map[string]string{"post": "per post", "email": "per e-mail", "portal": "via een portaal",
	"sms": "per sms", "phone": "telefonisch", "fax": "per fax", "other": "anders"}

func sentItems(items []breach.SentItem) string {
	switch {
	case items == nil:
		return missing
	case len(items) == 0:
		return "niets verstuurd"
	}
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = it.Description + ", " + channelLabels[it.Channel]
		if it.Count != nil {
			parts[i] += fmt.Sprintf(", %d stuks", *it.Count)
		}
	}
	return strings.Join(parts, "; ")
}

var dispositionLabels = map[breach.Disposition]string{
	breach.DispositionDestroyed: "vernietigd", breach.DispositionReturned: "teruggestuurd",
	breach.DispositionPartlyReturned: "gedeeltelijk teruggestuurd", breach.DispositionNotReturned: "niet teruggestuurd",
	breach.DispositionUnknown: "onbekend", breach.DispositionNotApplicable: "niet van toepassing (niets verstuurd)",
}

func dispositionLabel(d breach.Disposition) string {
	if d == "" {
		return missing
	}
	return dispositionLabels[d]
}

func reporter(r breach.Reporter) string {
	parts := []string{r.Name}
	for _, p := range []string{r.Function, r.Email, r.Phone} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

func stageLabel(s breach.Stage) string {
	if s == breach.StagePreliminary {
		return "voorlopig"
	}
	return "volledig"
}

var statusLabels = map[breach.Status]string{breach.StatusNew: "nieuw", breach.StatusTriage: "in behandeling",
	breach.StatusAssessed: "beoordeeld", breach.StatusDecided: "besloten", breach.StatusClosed: "gesloten"}

func statusLabel(b *breach.Breach) string { return statusLabels[b.Status] + ", " + stageLabel(b.Stage) }

var roleLabels = map[breach.Role]string{breach.RoleSupplier: "verwerker", breach.RoleAdviser: "Adviseur Privacy",
	breach.RoleController: "verwerkingsverantwoordelijke", breach.RoleAdmin: "beheerder"}

func roleLabel(r breach.Role) string {
	if l, ok := roleLabels[r]; ok {
		return l
	}
	return string(r)
}

var fieldLabels = map[string]string{
	"title": "Titel", "started_at": "Ontstaan op", "ongoing": "Nog gaande", "cause": "Oorzaak",
	"personal_data": "Persoonsgegevens", "subjects_min": "Minimum aantal betrokkenen", "subjects_max": "Maximum aantal betrokkenen",
	"sent_items": "Verstuurde uitingen", "item_disposition": "Vernietigd of teruggestuurd", "measures": "Maatregelen",
	"reporter": "Melder", "contract_reference": "Contractreferentie", "stage": "Stand van de melding", "aware_at": "Bewust sinds",
}

func fieldLabel(f string) string {
	if l, ok := fieldLabels[f]; ok {
		return l
	}
	return f
}

func fieldList(fields []string) string {
	labels := make([]string, len(fields))
	for i, f := range fields {
		labels[i] = strings.ToLower(fieldLabel(f))
	}
	return strings.Join(labels, ", ")
}

// rawValue shows a changed field's JSON value for people: strings without
// quotes, times in Amsterdam, nothing as "(leeg)".
func rawValue(raw json.RawMessage) string {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil || v == nil {
		return "(leeg)"
	}
	if s, ok := v.(string); ok {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return when(t)
		}
		if s == "" {
			return "(leeg)"
		}
		return s
	}
	return string(raw)
}

// render writes the document as plain text and as HTML.
func (d document) render() (text, html string, err error) {
	var t strings.Builder
	for _, p := range d.Intro {
		t.WriteString(p + "\n\n")
	}
	for _, s := range d.Sections {
		t.WriteString(s.Title + "\n" + strings.Repeat("-", len([]rune(s.Title))) + "\n")
		for _, r := range s.Rows {
			t.WriteString(r.Label + ": " + r.Value + "\n")
		}
		if s.Table != nil {
			for _, r := range s.Table.Rows {
				t.WriteString("- " + strings.Join(r, " | ") + "\n")
			}
		}
		t.WriteString("\n")
	}
	for _, p := range d.Outro {
		t.WriteString(p + "\n\n")
	}
	if d.Link != "" {
		t.WriteString("Bekijk in de datalekdienst: " + d.Link + "\n\n")
	}
	t.WriteString(footer + "\n")

	var h bytes.Buffer
	if err := htmlTemplate.Execute(&h, struct {
		document
		Footer string
	}{d, footer}); err != nil {
		return "", "", err
	}
	return t.String(), h.String(), nil
}

const footer = "Dit bericht is automatisch verstuurd door de datalekdienst. Antwoorden op dit bericht worden niet gelezen."

var htmlTemplate = template.Must(template.New("mail").Parse(`<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="font-family: Arial, sans-serif; font-size: 14px; color: #1a1a1a;">
{{range .Intro}}<p>{{.}}</p>
{{end}}{{range .Sections}}<h3 style="margin-bottom: 4px;">{{.Title}}</h3>
{{if .Rows}}<table cellpadding="4" style="border-collapse: collapse;">
{{range .Rows}}<tr><th align="left" valign="top" style="padding-right: 12px;">{{.Label}}</th><td>{{.Value}}</td></tr>
{{end}}</table>
{{end}}{{with .Table}}<table cellpadding="4" border="1" style="border-collapse: collapse;">
<tr>{{range .Head}}<th align="left">{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>
{{end}}{{end}}{{range .Outro}}<p>{{.}}</p>
{{end}}{{with .Link}}<p><a href="{{.}}">Bekijk in de datalekdienst</a></p>
{{end}}<p style="color: #666; font-size: 12px;">{{.Footer}}</p>
</body></html>
`))
