package browsertest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// AxeTags are the rules Axe runs: WCAG 2.0 and 2.1, levels A and AA
// (UI.md: no WCAG 2.1 AA violation).
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// Violation is one rule axe-core found broken, with the elements that break it.
type Violation struct {
	ID, Impact, Help, HelpURL string
	Nodes                     []struct {
		Target  []string
		HTML    string
		Summary string
	}
}

// Axe runs axe-core on the page the tab shows and fails the test with each
// WCAG 2.1 A/AA violation: the rule, its impact, and the failing elements.
func Axe(t testing.TB, ctx context.Context) {
	t.Helper()
	vs, err := AxeViolations(ctx)
	if err != nil {
		t.Fatalf("axe: %v", err)
	}
	if len(vs) == 0 {
		return
	}
	var b strings.Builder
	url := Eval[string](t, ctx, "location.pathname")
	fmt.Fprintf(&b, "axe: %d WCAG 2.1 AA violation(s) on %s:", len(vs), url)
	for _, v := range vs {
		fmt.Fprintf(&b, "\n- %s (%s): %s <%s>", v.ID, v.Impact, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n    %s  %s\n      %s", strings.Join(n.Target, " "), n.HTML,
				strings.ReplaceAll(n.Summary, "\n", "\n      "))
		}
	}
	t.Error(b.String())
}

// AxeViolations injects axe-core into the page, unless it is there, and
// returns what it finds. The script goes in through DevTools' Runtime.evaluate,
// which the page's Content-Security-Policy does not govern: the service's
// pages allow no script but their own (default-src 'self') and need none.
func AxeViolations(ctx context.Context) ([]Violation, error) {
	path, err := axePath()
	if err != nil {
		return nil, err
	}
	tctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	loaded, err := chromedp.Run(tctx, chromedp.Evaluate[bool](`typeof window.axe === 'object'`))
	if err != nil {
		return nil, err
	}
	if !loaded {
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		if err := chromedp.Do(tctx, chromedp.Evaluate[chromedp.Void](string(src))); err != nil {
			return nil, fmt.Errorf("injecting %s: %w", path, err)
		}
	}
	tags := `['` + strings.Join(AxeTags, `','`) + `']`
	return chromedp.Run(tctx, chromedp.Evaluate[[]Violation](`axe.run(document, {
		runOnly: {type: 'tag', values: `+tags+`},
		resultTypes: ['violations'],
	}).then(r => r.violations.map(v => ({
		ID: v.id, Impact: v.impact || '', Help: v.help, HelpURL: v.helpUrl,
		Nodes: v.nodes.map(n => ({Target: n.target.map(String), HTML: n.html, Summary: n.failureSummary || ''})),
	})))`, chromedp.EvalAwaitPromise))
}
