// Package browsertest starts Debian's chromium, headless, for the tests
// that drive the web chat and the console as people use them.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ChromiumPath is Debian's chromium, which .ci/run installs.
const ChromiumPath = "/usr/bin/chromium"

// New starts a headless Chromium with a fresh profile, stopped when the
// test ends, and returns the context of its first tab. A test opens a
// tab per user with Tab.
func New(t testing.TB) context.Context {
	t.Helper()
	path := ChromiumPath
	if _, err := os.Stat(path); err != nil {
		if path, err = exec.LookPath("chromium"); err != nil {
			t.Fatalf("no chromium at %s or on PATH (apt-get install chromium): %v", ChromiumPath, err)
		}
	}
	alloc, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(390, 844),
	)
	t.Cleanup(cancel)
	ctx, cancelTab := chromedp.NewContext(alloc)
	t.Cleanup(cancelTab)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// Tab opens a tab in a browser context of its own (its own cookies and
// storage), closed when the test ends.
func Tab(t testing.TB, browser context.Context) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// The first run opens the tab; it must not have a deadline, which
	// would close the tab with it.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	return ctx
}

// Do runs actions in a tab, failing the test after 45 seconds rather
// than waiting for ever on a page that never shows what it should.
func Do(t testing.TB, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 45*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

// Poll waits, up to 30 seconds, until a JavaScript expression gives a
// non-empty string, and returns it. It asks again across page loads (a
// form's answer replacing the page), which a single wait in the page
// would not survive.
func Poll(t testing.TB, ctx context.Context, expr string) string {
	t.Helper()
	wrapped := `(function () { try { var v = (` + expr + `); return v ? String(v) : ""; } catch (e) { return ""; } })()`
	deadline := time.Now().Add(30 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		try, cancel := context.WithTimeout(ctx, 5*time.Second)
		v, err := chromedp.Run(try, chromedp.Evaluate[string](wrapped))
		cancel()
		if err == nil && v != "" {
			return v
		}
		last = err
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("waiting for %s: %v", expr, last)
	return ""
}

// Screenshot keeps the tab as it looks now under name, in
// SLIPDESK_SCREENSHOTS or the test's testdata/screenshots (which git
// ignores).
func Screenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("SLIPDESK_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join("testdata", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", path)
}
