// Package browsertest drives a real browser from Go tests (UI.md, "How it is
// tested"): headless Chromium from Debian's packages through chromedp, with
// axe-core from the npm registry to check every page against WCAG 2.1 AA.
// .ci/run installs both; see the README's Tests section.
//
// Environment:
//
//	DATALEK_BROWSER           the browser to start (default /usr/bin/chromium, else chromium on PATH)
//	DATALEK_AXE               axe.min.js (default .ci/axe/node_modules/axe-core/axe.min.js in the repository)
//	DATALEK_BROWSER_REQUIRED  1: a missing browser or axe fails the test instead of skipping it (CI)
package browsertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Timeout bounds each step of a helper, so that a page that never loads
// fails the test with a message rather than at go test's global timeout.
var Timeout = 30 * time.Second

// Start starts a headless browser for the test and returns the context of
// its tab, for chromedp and the other helpers. The browser ends with the
// test. Without a browser or axe-core the test is skipped, or fails when
// DATALEK_BROWSER_REQUIRED=1, so that CI cannot pass by skipping.
func Start(t testing.TB) context.Context {
	t.Helper()
	browser, err := browserPath()
	if err == nil {
		_, err = axePath()
	}
	if err != nil {
		if os.Getenv("DATALEK_BROWSER_REQUIRED") == "1" {
			t.Fatalf("browser test: %v (DATALEK_BROWSER_REQUIRED=1)", err)
		}
		t.Skipf("browser test skipped: %v; .ci/run installs what it needs (README, Tests)", err)
	}

	// A fresh profile each time: nothing from an earlier run, and no
	// first-run work. The flags keep Chromium off the network: this
	// machine's network is closed, and a test must not depend on Google's
	// services (update checks, sync, component downloads, QUIC probes).
	profile, err := os.MkdirTemp("", "datalek-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	output := &lockedBuffer{}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser),
		chromedp.UserDataDir(profile),
		chromedp.NoSandbox, // CI runs as root, where Chromium's sandbox cannot start
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("lang", "nl-NL"), // the users' language, in Accept-Language
		chromedp.WindowSize(1024, 768),
		chromedp.CombinedOutput(output),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc() // waits for the browser to exit
		os.RemoveAll(profile)
		if t.Failed() {
			t.Logf("browser output:\n%s", output.tail(4000))
		}
	})
	// The first Run starts the browser; it must have no timeout of its own,
	// or the browser would end with it (chromedp.NewContext).
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v\n%s", browser, err, output.tail(4000))
	}
	return ctx
}

// Load runs steps that load a page (a click, Enter in a form), waits until
// the page has loaded and returns its HTTP status.
func Load(t testing.TB, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) int {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	res, err := chromedp.RunResponse(tctx, steps...)
	return status(t, "loading a page", res, err)
}

// Do runs chromedp actions within Timeout: on the tab's own context, a
// selector that never matches would wait until go test's global timeout.
func Do(t testing.TB, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	if err := chromedp.Do(tctx, steps...); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

// Open navigates to url and returns the page's HTTP status.
func Open(t testing.TB, ctx context.Context, url string) int {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	res, err := chromedp.Run(tctx, chromedp.NavigateResponse(url))
	return status(t, "opening "+url, res, err)
}

func status(t testing.TB, what string, res *network.Response, err error) int {
	t.Helper()
	if err == nil && res == nil {
		err = errors.New("no response")
	}
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return int(res.Status)
}

// Eval evaluates a JavaScript expression in the page and decodes its value.
// DevTools evaluation runs beside the page, so the page's CSP does not stop it.
func Eval[T any](t testing.TB, ctx context.Context, expression string) T {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	v, err := chromedp.Run(tctx, chromedp.Evaluate[T](expression, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluating %.80q: %v", expression, err)
	}
	return v
}

// Tab presses the Tab key, as a person moves to the next control.
func Tab(t testing.TB, ctx context.Context) { t.Helper(); keys(t, ctx, kb.Tab) }

// Type types text into whatever has the focus, key by key.
func Type(t testing.TB, ctx context.Context, text string) { t.Helper(); keys(t, ctx, text) }

// Enter presses Enter, which submits the form of the field or button that
// has the focus, or follows the focused link, and returns the HTTP status
// of the page it loads. Only key events are sent: no click, no DOM call.
func Enter(t testing.TB, ctx context.Context) int {
	t.Helper()
	return Load(t, ctx, chromedp.KeyEvent(kb.Enter))
}

func keys(t testing.TB, ctx context.Context, keys string) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	if err := chromedp.Do(tctx, chromedp.KeyEvent(keys)); err != nil {
		t.Fatalf("keys %q: %v", keys, err)
	}
}

// Element describes an element: its tag, id, name and text (for a control,
// its value, or its label's text).
type Element struct {
	Tag, ID, Name, Text string
}

func (e Element) String() string {
	return fmt.Sprintf("<%s id=%q name=%q> %q", e.Tag, e.ID, e.Name, e.Text)
}

// Focused returns the element that has the keyboard focus.
func Focused(t testing.TB, ctx context.Context) Element {
	t.Helper()
	return Eval[Element](t, ctx, `(() => {
		const e = document.activeElement || document.body;
		const label = e.labels && e.labels.length ? e.labels[0].innerText : '';
		return {Tag: e.tagName.toLowerCase(), ID: e.id, Name: e.getAttribute('name') || '',
			Text: (label || e.innerText || e.value || '').trim().slice(0, 80)};
	})()`)
}

// Screenshot writes a PNG of the whole page to docs/screenshots/<name>.png
// in the repository, where a person can look at it (UI.md). An unchanged
// picture is not written again, so that the file's time stays.
func Screenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	png, err := chromedp.Run(tctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(RepoRoot(t), "docs", "screenshots", name+".png")
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, png) {
		return
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// RepoRoot is the directory of go.mod, above the test's working directory
// (go test runs in the package's directory).
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

func browserPath() (string, error) {
	if p := os.Getenv("DATALEK_BROWSER"); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			return "", fmt.Errorf("DATALEK_BROWSER=%s: %w", p, err)
		}
		return p, nil
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", nil
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p, nil
	}
	return "", errors.New("no browser: neither DATALEK_BROWSER nor /usr/bin/chromium (Debian's chromium package)")
}

func axePath() (string, error) {
	p := os.Getenv("DATALEK_AXE")
	if p == "" {
		root, err := repoRoot()
		if err != nil {
			return "", err
		}
		p = filepath.Join(root, ".ci", "axe", "node_modules", "axe-core", "axe.min.js")
	}
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("no axe-core (npm ci --prefix .ci/axe): %w", err)
	}
	return p, nil
}

// lockedBuffer holds the browser's output, written from chromedp's goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) tail(n int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.buf.String()
	if len(s) > n {
		s = "…" + s[len(s)-n:]
	}
	return strings.TrimSpace(s)
}
