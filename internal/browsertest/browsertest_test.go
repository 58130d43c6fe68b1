package browsertest

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// The helpers on a page under the service's strict CSP: axe-core goes in
// and runs though the page may run no inline script, finds an unlabelled
// field, and the keyboard moves the focus and submits the form.
func TestBrowserHelpersUnderStrictCSP(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; base-uri 'none'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.Method == http.MethodPost {
			w.Write([]byte(`<!DOCTYPE html><html lang="nl"><title>Ontvangen</title><main><h1>Ontvangen ` + r.FormValue("q") + `</h1></main></html>`))
			return
		}
		w.Write([]byte(`<!DOCTYPE html><html lang="nl"><title>Proef</title>
<script>window.inline = true</script>
<main><h1>Proef</h1><form method="post">
<label for="naam">Naam</label><input id="naam" name="q">
<input id="los" name="los">
<button type="submit">Verstuur</button></form></main></html>`))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	ctx := Start(t)
	if got := Open(t, ctx, srv.URL+"/"); got != http.StatusOK {
		t.Fatalf("status %d", got)
	}
	if Eval[bool](t, ctx, `window.inline === true`) {
		t.Fatal("the CSP did not stop the inline script: this test proves nothing")
	}
	vs, err := AxeViolations(ctx)
	if err != nil {
		t.Fatalf("axe under the CSP: %v", err)
	}
	if len(vs) != 1 || vs[0].ID != "label" || len(vs[0].Nodes) != 1 || vs[0].Nodes[0].Target[0] != "#los" {
		t.Fatalf("want the unlabelled #los only, got %+v", vs)
	}

	Tab(t, ctx)
	if f := Focused(t, ctx); f.ID != "naam" || f.Text != "Naam" {
		t.Fatalf("focus %v", f)
	}
	Type(t, ctx, "Kim")
	if got := Enter(t, ctx); got != http.StatusOK {
		t.Fatalf("status %d", got)
	}
	if got := Eval[string](t, ctx, `document.querySelector('h1').textContent`); got != "Ontvangen Kim" {
		t.Fatalf("after Enter: %q", got)
	}
	Axe(t, ctx)
}
