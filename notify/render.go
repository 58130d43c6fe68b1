package notify

import (
	"bytes"
	"encoding/json"
	"html/template"
	"strings"
	"time"

	"datalek/breach"
	"datalek/breach/nl"
)

// reporter is the reporter's contact details on one line.
func reporter(r breach.Reporter) string {
	parts := []string{r.Name}
	for _, p := range []string{r.Function, r.Email, r.Phone} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// fieldList names report fields in a sentence: "oorzaak, maatregelen".
func fieldList(fields []string) string {
	labels := make([]string, len(fields))
	for i, f := range fields {
		labels[i] = strings.ToLower(nl.Field(f))
	}
	return strings.Join(labels, ", ")
}

// changeValue shows a changed field's value for people: with the Dutch
// labels of codes, lists as text, times in Amsterdam, nothing as "(leeg)".
func changeValue(field string, raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return "(leeg)"
	}
	var (
		codes []string
		items []breach.SentItem
		rep   breach.Reporter
		yes   bool
		v     any
	)
	switch {
	case field == "personal_data" && json.Unmarshal(raw, &codes) == nil:
		return nl.OrMissing(nl.Categories(codes))
	case field == "sent_items" && json.Unmarshal(raw, &items) == nil:
		return nl.OrMissing(nl.SentItems(items))
	case field == "reporter" && json.Unmarshal(raw, &rep) == nil:
		return reporter(rep)
	case field == "ongoing" && json.Unmarshal(raw, &yes) == nil:
		return nl.YesNo(&yes)
	case json.Unmarshal(raw, &v) != nil:
		return "(leeg)"
	}
	s, ok := v.(string)
	switch {
	case !ok:
		return string(raw)
	case s == "":
		return "(leeg)"
	case field == "stage":
		return nl.Stage(breach.Stage(s))
	case field == "item_disposition":
		return nl.Disposition(breach.Disposition(s))
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return nl.Time(t)
	}
	return s
}

// render writes the document as plain text and as HTML.
func (d document) render() (text, html string, err error) {
	for _, a := range d.Do {
		if a.URL == d.Link {
			d.Link = "" // an action leads there already
		}
	}
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
	for _, a := range d.Do {
		t.WriteString(a.Text + " " + a.URL + "\n\n")
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

// htmlLines writes free text for the HTML part: escaped, with its line
// breaks (\n, \r\n or a bare \r) kept as <br>, which HTML would otherwise
// fold into spaces.
func htmlLines(s string) template.HTML {
	lines := strings.Split(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n"), "\n")
	for i, l := range lines {
		lines[i] = template.HTMLEscapeString(l)
	}
	return template.HTML(strings.Join(lines, "<br>\n"))
}

var htmlTemplate = template.Must(template.New("mail").Funcs(template.FuncMap{"lines": htmlLines}).Parse(`<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="font-family: Arial, sans-serif; font-size: 14px; color: #1a1a1a;">
{{range .Intro}}<p>{{lines .}}</p>
{{end}}{{range .Sections}}<h3 style="margin-bottom: 4px;">{{.Title}}</h3>
{{if .Rows}}<table cellpadding="4" style="border-collapse: collapse;">
{{range .Rows}}<tr><th align="left" valign="top" style="padding-right: 12px;">{{.Label}}</th><td>{{lines .Value}}</td></tr>
{{end}}</table>
{{end}}{{with .Table}}<table cellpadding="4" border="1" style="border-collapse: collapse;">
<tr>{{range .Head}}<th align="left">{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr>{{range .}}<td>{{lines .}}</td>{{end}}</tr>
{{end}}</table>
{{end}}{{end}}{{range .Outro}}<p>{{lines .}}</p>
{{end}}{{range .Do}}<p>{{.Text}} <a href="{{.URL}}">{{.URL}}</a></p>
{{end}}{{with .Link}}<p><a href="{{.}}">Bekijk in de datalekdienst</a></p>
{{end}}<p style="color: #666; font-size: 12px;">{{.Footer}}</p>
</body></html>
`))
