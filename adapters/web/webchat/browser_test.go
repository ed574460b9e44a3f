package webchat_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/adapters/web/browsertest"
	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/bottest"
	"github.com/slipdesk/slipdesk/bot/mask"
)

// TestBrowserCaseReport plays a consumer's whole report in a real
// headless Chromium, once in each language: typing, tapping buttons,
// uploading a photo; the shop, in a browser of its own, gets the alert
// live and taps "found", and its answer arrives live in the consumer's
// page. Screenshots of both pages are kept.
func TestBrowserCaseReport(t *testing.T) {
	rdb := redistest.Real(t)
	for _, name := range []string{"en_case_merchant_found", "zh_case_merchant_found"} {
		t.Run(name, func(t *testing.T) {
			tr, err := bottest.Parse(filepath.Join("../../../testdata/cases", name+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			d := redistest.NewDesk(t, rdb, redistest.Options{Flows: "../../../flows", Locales: "../../../locales"})
			bd := &browserDriver{webDriver: newDriver(t, d, tr.LangHint), alloc: browsertest.New(t), tabs: map[string]*tab{}, name: name}
			bottest.Run(t, tr, bd, d.Clock)
			for user, tb := range bd.tabs {
				bd.screenshot(t, tb, name+"-"+user)
			}
			// What the shop answered is on the consumer's page, as text.
			shown := bd.entries(t, bd.tabs["consumer"])
			if last := shown[len(shown)-1]; last.Msg != "consumer.bye" && !strings.HasPrefix(last.Msg, "sys.") {
				t.Errorf("the consumer's page ends with %+v", last)
			}
		})
	}
}

// tab is one user's browser: a browser context of its own, so that its
// storage, and so its conversation, is its own.
type tab struct {
	ctx  context.Context
	seen int // entries of the page already read
}

// browserDriver plays transcripts in Chromium; the API driver it wraps
// registers merchants, runs the workers and reads feeds.
type browserDriver struct {
	*webDriver
	alloc context.Context
	tabs  map[string]*tab
	name  string
	shots int
}

var _ bottest.PartyDriver = (*browserDriver)(nil)

// open returns the user's tab, loading the page on first use and
// taking the conversation token the page got.
func (d *browserDriver) open(t testing.TB, user string) *tab {
	t.Helper()
	if tb, ok := d.tabs[user]; ok {
		return tb
	}
	ctx := browsertest.Tab(t, d.alloc)
	lang := d.lang
	if lang == "" {
		lang = "zh-CN"
	}
	err := chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, tt *chromedp.Target) error {
			_, err := chromedpCall(ctx, tt, lang)
			return err
		}),
		chromedp.Navigate(d.h.srv.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("intro")),
	)
	if err != nil {
		t.Fatalf("open the page for %s: %v", user, err)
	}
	tok := d.poll(t, ctx, `localStorage.getItem("slipdesk.token")`)
	d.tokens[user] = tok
	id, _, _ := strings.Cut(tok, ".")
	d.names[id] = user
	tb := &tab{ctx: ctx}
	d.tabs[user] = tb
	return tb
}

// chromedpCall makes the browser say lang in Accept-Language, as a phone
// set to that language does, with the user agent of WeChat's browser.
func chromedpCall(ctx context.Context, t *chromedp.Target, lang string) (cdp.Empty, error) {
	return cdp.Call(ctx, t, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{
		UserAgent:      "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36 MicroMessenger/8.0.47",
		AcceptLanguage: lang,
	})
}

// poll waits until a JavaScript expression gives a non-empty string.
func (d *browserDriver) poll(t testing.TB, ctx context.Context, expr string) string {
	t.Helper()
	return browsertest.Poll(t, ctx, expr)
}

// shownEntry is one message as the page shows it.
type shownEntry struct {
	From    string       `json:"from"`
	Msg     string       `json:"msg"`
	Text    string       `json:"text"`
	Options []bot.Option `json:"options"`
}

// readPage lists the page's messages in order, each bot message with
// the buttons shown under it; the greeting the page says by itself is
// left out.
const readPage = `(function () {
  var out = [], rows = document.getElementById("log").children;
  for (var i = 0; i < rows.length; i++) {
    var el = rows[i];
    if (el.className === "opts") {
      var bs = el.querySelectorAll("button"), last = out[out.length - 1];
      for (var j = 0; j < bs.length; j++) {
        last.options.push({v: bs[j].getAttribute("data-value"), l: bs[j].textContent, d: bs[j].getAttribute("data-data")});
      }
      continue;
    }
    var m = el.querySelector(".msg");
    if (!m || m.id === "intro" || / typing/.test(m.className)) { continue; }
    out.push({from: / me/.test(m.className) ? "me" : "bot", msg: m.getAttribute("data-msg") || "", text: m.textContent, options: []});
  }
  return JSON.stringify(out);
})()`

func (d *browserDriver) entries(t testing.TB, tb *tab) []shownEntry {
	t.Helper()
	raw, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](readPage))
	if err != nil {
		t.Fatal(err)
	}
	var out []shownEntry
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// settle waits until the page has no send under way and shows the last
// entry of its feed, then returns what it shows that was not read yet.
func (d *browserDriver) settle(t testing.TB, user string) []shownEntry {
	t.Helper()
	tb := d.open(t, user)
	d.poll(t, tb.ctx, `document.body.getAttribute("data-busy") === "0" || document.body.getAttribute("data-busy") === null ? "idle" : ""`)
	feed := d.h.feed(t, d.tokens[user], "")
	if len(feed) > 0 {
		last := feed[len(feed)-1].ID
		d.poll(t, tb.ctx, fmt.Sprintf(`document.body.getAttribute("data-last") === %q ? "shown" : ""`, last))
	}
	all := d.entries(t, tb)
	fresh := all[tb.seen:]
	tb.seen = len(all)
	return fresh
}

// act runs a user's action on the page and returns the replies the
// page then shows, after checking it shows what the user sent first.
func (d *browserDriver) act(t testing.TB, me string, actions ...chromedp.Action[chromedp.Void]) []bot.Reply {
	t.Helper()
	tb := d.open(t, d.user)
	d.settle(t, d.user)
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		t.Fatalf("%s: %v", d.user, err)
	}
	fresh := d.settle(t, d.user)
	if len(fresh) == 0 || fresh[0].From != "me" || fresh[0].Text != me {
		t.Fatalf("the page shows %+v, want first what the user sent, %q", fresh, me)
	}
	return pageReplies(fresh[1:])
}

func pageReplies(entries []shownEntry) []bot.Reply {
	var out []bot.Reply
	for _, e := range entries {
		if e.From == "bot" {
			out = append(out, bot.Reply{MsgID: e.Msg, Text: e.Text, Options: e.Options})
		}
	}
	return out
}

// Text implements bottest.Driver: the user types into the box and taps
// send.
func (d *browserDriver) Text(t testing.TB, text string) []bot.Reply {
	t.Helper()
	d.open(t, d.user)
	shown := text
	if masked, ok := mask.Sensitive(text); ok {
		shown = masked
	}
	return d.act(t, shown,
		chromedp.SendKeys(chromedp.ID("text"), text),
		chromedp.Click(chromedp.ID("send")),
	)
}

// Button implements bottest.Driver: the user taps the button of the
// option on the latest question.
func (d *browserDriver) Button(t testing.TB, last []bot.Reply, value string) []bot.Reply {
	t.Helper()
	label := ""
	for _, r := range last {
		for _, o := range r.Options {
			if o.Value == value {
				label = o.Label
			}
		}
	}
	if label == "" {
		t.Fatalf("no button %q on the page's last question", value)
	}
	sel := fmt.Sprintf(`(function () { var bs = document.querySelectorAll('.opts button[data-value=%q]'); return bs.length ? [bs[bs.length - 1]] : []; })()`, value)
	return d.act(t, label, chromedp.Click(chromedp.JSPath(sel), chromedp.NodeEnabled))
}

// File implements bottest.PartyDriver: the user picks a file, and the
// page uploads it.
func (d *browserDriver) File(t testing.TB, name string, content []byte) []bot.Reply {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	d.open(t, d.user)
	replies := d.act(t, name, chromedp.SetUploadFiles(chromedp.ID("file"), []string{path}, chromedp.NodeReady))
	d.screenshot(t, d.tabs[d.user], d.name+"-upload")
	return replies
}

// Redeliver implements bottest.Driver. A page retries a message itself
// and never shows that to its user; the API tests cover it, and the
// case transcripts played here redeliver nothing.
func (d *browserDriver) Redeliver(t testing.TB) []bot.Reply {
	t.Fatal("the browser test plays no transcript that redelivers; TestTranscripts does, through the API")
	return nil
}

// Signal implements bottest.Driver: the event's replies, pushed through
// the channel's sender, appear on the page by themselves.
func (d *browserDriver) Signal(t testing.TB, name, value string) []bot.Reply {
	return d.pushed(t, d.webDriver.Signal(t, name, value))
}

// Tick implements bottest.Driver.
func (d *browserDriver) Tick(t testing.TB) []bot.Reply {
	return d.pushed(t, d.webDriver.Tick(t))
}

func (d *browserDriver) pushed(t testing.TB, want []bot.Reply) []bot.Reply {
	t.Helper()
	if got := pageReplies(d.settle(t, d.user)); !sameReplies(got, want) {
		t.Fatalf("the page shows %v, want %v", bottest.IDs(got), bottest.IDs(want))
	}
	return want
}

// Work implements bottest.PartyDriver: what the workers push (the alert
// to the shop, the shop's answer to the consumer) appears on each open
// page live, with no action of its user.
func (d *browserDriver) Work(t testing.TB) []bottest.Pushed {
	t.Helper()
	for user := range d.tabs {
		d.settle(t, user)
	}
	pushed := d.webDriver.Work(t)
	byUser := map[string][]bot.Reply{}
	for _, p := range pushed {
		byUser[p.To] = append(byUser[p.To], p.Reply)
	}
	for user, want := range byUser {
		if _, ok := d.tabs[user]; !ok {
			continue
		}
		if got := pageReplies(d.settle(t, user)); !sameReplies(got, want) {
			t.Fatalf("%s's page shows %v, want what was pushed, %v", user, bottest.IDs(got), bottest.IDs(want))
		}
	}
	return pushed
}

// As implements bottest.PartyDriver.
func (d *browserDriver) As(t testing.TB, user string) {
	d.user = user
	d.open(t, user)
}

// Merchant implements bottest.PartyDriver: the shop's chat is its own
// browser, opened first so that its conversation exists to be linked.
func (d *browserDriver) Merchant(t testing.TB, m bot.Merchant, chats ...string) {
	t.Helper()
	for _, chat := range chats {
		d.open(t, chat)
	}
	d.webDriver.Merchant(t, m, chats...)
}

// screenshot keeps the page as it looks now.
func (d *browserDriver) screenshot(t testing.TB, tb *tab, name string) {
	t.Helper()
	browsertest.Screenshot(t, tb.ctx, name)
}
