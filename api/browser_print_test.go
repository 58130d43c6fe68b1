package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"datalek/breach"
	"datalek/internal/browsertest"
)

// In Chromium, as it prints: the register's page links to the register as
// a table on landscape A4 (axe-core on it, on screen and in print); the AP
// form draft and the letter to the people affected print as documents on
// A4, without the header, the buttons and the page's explanations, the
// letter as a letter; their print renderings are the README's screenshots
// (issue 11).
func TestBrowserPrintDocuments(t *testing.T) {
	s, base, ctx := browserSignIn(t)
	b := s.file()
	adviser := s.person("a.de.boer@hetcak.example", "A. de Boer", "Adviseur Privacy", breach.RoleAdviser, "")
	for _, step := range []struct {
		path string
		form url.Values
	}{{"/behandeling", url.Values{}}, {"/beoordeling", assessmentForm()}} { // in this order
		status, body, _ := adviser.do("POST", "/datalekken/"+b.ID+step.path, step.form)
		require.Equal(t, http.StatusOK, status, body)
	}
	_, secret, _ := s.enrolled("k.visser@hetcak.example")
	signInInBrowser(t, s, ctx, base, "k.visser@hetcak.example", secret)

	onPage(t, ctx, browsertest.Open(t, ctx, base+"/register"), "Datalekregister")
	onPage(t, ctx, click(t, ctx, `a[href^="/register/afdruk"]`), "Datalekregister")
	assert.Equal(t, "/register/afdruk?van=2026-01-01&tot=&status=", browsertest.Eval[string](t, ctx, `location.pathname + location.search`),
		"the register's filters go along")
	assert.Equal(t, 1, browsertest.Eval[int](t, ctx, `document.querySelectorAll('table.register-print tbody tr').length`))
	row := text(t, ctx, "table.register-print tbody tr")
	for _, want := range []string{b.Reference, "Acme BV", b.Report.Title, "23-11-2026 09:00, 23-11-2026 10:00", "burgerservicenummer (BSN)",
		"120 tot 150", "risico; ernst hoog", "geen besluit", "beoordeeld"} {
		assert.Contains(t, row, want)
	}
	assert.Contains(t, text(t, ctx, ".print-meta"), "ontvangen vanaf donderdag 1 januari 2026")
	inPrint(t, ctx)
	browsertest.Axe(t, ctx)
	assert.Equal(t, "none", style(t, ctx, "header", "display"), "no header on paper")
	assert.Equal(t, "none", style(t, ctx, ".no-print", "display"), "nor how to print")
	assert.Equal(t, "register", style(t, ctx, "main", "page"), "landscape A4")
	assert.Equal(t, "rgb(0, 0, 0)", style(t, ctx, "table.register-print td", "color"))
	assert.Equal(t, []string{"842x595"}, pdfPages(t, ctx), "a PDF of it: one landscape A4")

	apForm := "Concept melding Autoriteit Persoonsgegevens: " + b.Reference
	onPage(t, ctx, browsertest.Open(t, ctx, base+"/datalekken/"+b.ID+"/ap-formulier"), apForm)
	assert.True(t, browsertest.Eval[bool](t, ctx, `[...document.querySelectorAll('button')].every(b => getComputedStyle(b).display === 'none')`),
		"no copy buttons on paper")
	assert.Equal(t, "block", style(t, ctx, "h1", "display"), "the form says what it is")
	for _, sheet := range pdfPages(t, ctx) {
		assert.Equal(t, "595x842", sheet, "portrait A4")
	}
	paper(t, ctx, "ap-formulier-afdruk")

	letter := "Concept brief aan de betrokkenen: " + b.Reference
	onPage(t, ctx, browsertest.Open(t, ctx, base+"/datalekken/"+b.ID+"/brief"), letter)
	assert.Equal(t, "none", style(t, ctx, "h1", "display"), "only the letter on paper")
	assert.Equal(t, "none", style(t, ctx, ".warning", "display"), "what is still to fill in is marked in the letter itself")
	assert.Equal(t, "letter", style(t, ctx, "main", "page"))
	assert.Contains(t, browsertest.Eval[string](t, ctx, `getComputedStyle(document.querySelector('.letter h2'), '::before').content`), "Onderwerp: ")
	assert.Equal(t, "pre-line", style(t, ctx, ".letter p", "white-space"), "the closing keeps its lines")
	paper(t, ctx, "brief-afdruk")
}

// inPrint has the tab render pages as they print (CSS media print) until
// the test ends.
func inPrint(t *testing.T, ctx context.Context) {
	t.Helper()
	browsertest.Do(t, ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
}

// style is the computed value of a CSS property of the first element css
// selects.
func style(t *testing.T, ctx context.Context, css, property string) string {
	t.Helper()
	return browsertest.Eval[string](t, ctx, `getComputedStyle(document.querySelector(`+jsString(css)+`)).getPropertyValue(`+jsString(property)+`)`)
}

func jsString(s string) string {
	return "'" + regexp.MustCompile(`['\\]`).ReplaceAllString(s, `\$0`) + "'"
}

// pdfPages prints the page to PDF, on the paper its CSS asks for, and
// returns the size of each of its pages in points, rounded (A4 is 595 by
// 842).
func pdfPages(t *testing.T, ctx context.Context) []string {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, browsertest.Timeout)
	defer cancel()
	css := true
	data, err := chromedp.Run(tctx, chromedp.Action[[]byte](func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
		res, err := cdp.Call(ctx, tg, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &css})
		return res.Data, err
	}))
	require.NoError(t, err)
	var sizes []string
	for _, m := range mediaBox.FindAllStringSubmatch(string(data), -1) {
		w, _ := strconv.ParseFloat(m[1], 64)
		h, _ := strconv.ParseFloat(m[2], 64)
		sizes = append(sizes, fmt.Sprintf("%.0fx%.0f", w, h))
	}
	require.NotEmpty(t, sizes, "pages in the PDF")
	return sizes
}

var mediaBox = regexp.MustCompile(`/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]`)

// paper writes a screenshot of the page as it prints: in print media, as
// wide as the sheet its CSS asks for (@page), with the sheet's margins
// (docs/screenshots/<name>.png, shown in the README).
func paper(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	inPrint(t, ctx)
	sheet := browsertest.Eval[struct{ Margin, Size string }](t, ctx, `(() => {
		const name = getComputedStyle(document.querySelector('main')).page;
		for (const sheet of document.styleSheets) for (const r of sheet.cssRules)
			if (r instanceof CSSPageRule && r.selectorText === (name === 'auto' ? '' : name))
				return {Margin: r.style.margin, Size: r.style.getPropertyValue('size')};
	})()`)
	require.Contains(t, strings.ToUpper(sheet.Size), "A4", "the page's @page rule")
	width, height := int64(794), int64(1123) // A4 at 96 pixels an inch
	if strings.Contains(sheet.Size, "landscape") {
		width, height = height, width
	}
	browsertest.Eval[string](t, ctx, `document.body.style.padding = `+jsString(sheet.Margin)+``)
	browsertest.Do(t, ctx, chromedp.EmulateViewport(width, height))
	browsertest.Screenshot(t, ctx, name)
}
