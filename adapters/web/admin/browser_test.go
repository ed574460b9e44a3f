package admin_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/slipdesk/slipdesk/adapters/telegram"
	"github.com/slipdesk/slipdesk/adapters/web/browsertest"
)

// TestBrowserTakeOver drives the console in headless Chromium: sign in,
// the queue, take over a web consumer's conversation and a Telegram
// user's, reply to both (seen live on the consumer's page and in the
// fake Telegram chat), and hand the web conversation back to the bot.
func TestBrowserTakeOver(t *testing.T) {
	f := newConsole(t)
	browser := browsertest.New(t)

	// A consumer on the web chat asks for a person.
	consumer := browsertest.Tab(t, browser)
	browsertest.Do(t, consumer, chromedp.Navigate(f.srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("intro")))
	for _, text := range []string{"hello, I lost my slip", "human"} {
		browsertest.Do(t, consumer, chromedp.SendKeys(chromedp.ID("text"), text), chromedp.Click(chromedp.ID("send")))
		browsertest.Poll(t, consumer, `document.body.getAttribute("data-busy") === "0" ? "idle" : ""`)
	}
	browsertest.Poll(t, consumer, `document.querySelector('.msg[data-msg="sys.handover"]') ? "yes" : ""`)
	tok := browsertest.Poll(t, consumer, `localStorage.getItem("slipdesk.token")`)
	webKey := "web:" + strings.SplitN(tok, ".", 2)[0]
	// And a Telegram user does too.
	tgKey := telegram.KeyOf(4242)
	process(t, f, tgKey, "hello")
	process(t, f, tgKey, "/human")
	f.desk.Drain(t)

	op := browsertest.Tab(t, browser)
	browsertest.Do(t, op, append(signIn(f.srv.URL+"/admin/"),
		chromedp.WaitVisible(chromedp.ID("queue")),
	)...)
	browsertest.Screenshot(t, op, "console-queue")
	for _, k := range []string{webKey, tgKey.String()} {
		if browsertest.Poll(t, op, fmt.Sprintf(`Array.prototype.some.call(document.querySelectorAll("a.conv"), function (a) { return a.textContent === %q; }) ? "listed" : ""`, k)) == "" {
			t.Fatalf("the queue does not list %s", k)
		}
	}
	reply := func(key, text string) {
		t.Helper()
		browsertest.Do(t, op,
			chromedp.Navigate(f.srv.URL+"/admin/conversation?key="+url.QueryEscape(key)),
			chromedp.Click(chromedp.ID("take-over")),
			chromedp.WaitVisible(chromedp.ID("held")),
			chromedp.SendKeys(chromedp.ID("reply-text"), text),
			chromedp.Click(chromedp.ID("reply")),
		)
		// The page after the reply shows it in the transcript.
		browsertest.Poll(t, op, fmt.Sprintf(`document.getElementById("transcript") && document.getElementById("transcript").textContent.indexOf(%q) >= 0 ? "sent" : ""`, text))
	}
	reply(webKey, "Hi, I'm Ann from the help desk. Which shop was it?")
	// The consumer's page shows it live, as text.
	browsertest.Poll(t, consumer, `Array.prototype.some.call(document.querySelectorAll(".msg.bot"), function (m) { return m.textContent === "Hi, I'm Ann from the help desk. Which shop was it?"; }) ? "shown" : ""`)
	browsertest.Screenshot(t, consumer, "console-consumer-reply")

	reply(tgKey.String(), "Hi, I'm Ann. <b>Checking now.</b>")
	// The reply form's answer may still be on its way when the old page
	// shows; the message is sent before that answer.
	found := false
	for deadline := time.Now().Add(20 * time.Second); !found && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		for _, s := range f.fake.Sent(4242) {
			found = found || s.Text == "Hi, I'm Ann. <b>Checking now.</b>"
		}
	}
	if !found {
		t.Fatalf("the fake Telegram chat got %+v, want the operator's reply", f.fake.Sent(4242))
	}

	browsertest.Do(t, op,
		chromedp.Navigate(f.srv.URL+"/admin/conversation?key="+url.QueryEscape(webKey)),
		chromedp.SendKeys(chromedp.ID("step"), "consumer.consent"),
		chromedp.Click(chromedp.ID("hand-back")),
		chromedp.WaitVisible(chromedp.ID("take-over")),
	)
	browsertest.Poll(t, consumer, `document.querySelector('.msg[data-msg="sys.operator.left"]') && document.querySelector('.opts button[data-value="agree"]:not([disabled])') ? "back" : ""`)
	browsertest.Screenshot(t, consumer, "console-consumer-handed-back")
	snap, err := f.desk.Store.Load(context.Background(), keyOf(webKey), "")
	if err != nil || snap.Conv.Human || snap.Conv.Step != "consent" {
		t.Fatalf("after hand-back the conversation is at %s (held %v, %v)", snap.Conv.Step, snap.Conv.Human, err)
	}
}

// TestBrowserFlows: the flows page in headless Chromium draws each
// flow's graph (the SVG lays out with a size) and offers the reload.
func TestBrowserFlows(t *testing.T) {
	f := newConsole(t)
	browser := browsertest.New(t)
	op := browsertest.Tab(t, browser)
	browsertest.Do(t, op, append(signIn(f.srv.URL+"/admin/flows"),
		// Nobody waits: the queue is empty.
		chromedp.WaitVisible(chromedp.ID("empty")),
		chromedp.Navigate(f.srv.URL+"/admin/flows"),
		chromedp.WaitVisible(chromedp.ID("reload")),
	)...)
	drawn := browsertest.Poll(t, op, `Array.prototype.every.call(document.querySelectorAll(".graph svg"), function (s) { var b = s.getBBox(); return b.width > 100 && b.height > 100; }) && document.querySelectorAll(".graph svg").length > 0 ? "drawn" : ""`)
	if drawn != "drawn" {
		t.Fatal("the flows are not drawn")
	}
	browsertest.Screenshot(t, op, "console-flows")
}

// signIn opens a console page, which first shows the sign-in form, and
// signs in from it.
func signIn(page string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(page),
		chromedp.WaitVisible(chromedp.ID("signin")),
		chromedp.SendKeys(chromedp.ID("name"), operator),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.ID("signin")),
	}
}
