package admin_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/slipdesk/slipdesk/adapters/console"
	"github.com/slipdesk/slipdesk/adapters/poster"
	"github.com/slipdesk/slipdesk/adapters/poster/postertest"
	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/adapters/telegram"
	"github.com/slipdesk/slipdesk/adapters/telegram/telegramtest"
	"github.com/slipdesk/slipdesk/adapters/web"
	"github.com/slipdesk/slipdesk/adapters/web/admin"
	"github.com/slipdesk/slipdesk/adapters/web/webchat"
	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/bottest"
)

const (
	operator = "ann"
	password = "correct horse battery staple"
	tgToken  = "123456:admin-test-token"
)

// console is the console over a desk, with the web chat, a Telegram bot
// on the fake API and the terminal inbox as the channels it reaches.
type consoleFixture struct {
	desk *redistest.Desk
	srv  *httptest.Server
	chat *webchat.Chat
	fake *telegramtest.Server
	// files is the operator's copy of the flows and locales the flows
	// page checks and reloads.
	files *folderContent
}

func newConsole(t *testing.T) *consoleFixture {
	t.Helper()
	d := redistest.NewDesk(t, redistest.Real(t), redistest.Options{Flows: "../../../flows", Locales: "../../../locales"})
	e := web.New(web.Options{})
	chat, err := webchat.New(webchat.Options{Engine: d.Engine, Feeds: d.Store, Secret: []byte("admin-test-secret-0123456789")})
	if err != nil {
		t.Fatal(err)
	}
	chat.Register(e)
	// The chat follows its feeds, so that open pages get replies live.
	runCtx, stop := context.WithCancel(context.Background())
	ready, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		chat.Run(runCtx, ready)
	}()
	<-ready
	t.Cleanup(func() { stop(); <-done })
	fake := telegramtest.New(t, tgToken)
	tg, err := telegram.New(telegram.Options{Token: tgToken, APIURL: fake.URL, Engine: d.Engine, PerChat: -1, PerSecond: -1})
	if err != nil {
		t.Fatal(err)
	}
	senders := map[string]bot.Sender{webchat.Channel: chat, telegram.Channel: tg.Sender(), console.Channel: console.Sender(d.Store)}
	files := newFolderContent(t, d)
	c, err := admin.New(admin.Options{Engine: d.Engine, Store: d.Store, Senders: senders, Proofs: d.Proofs, Merchants: d.Store, Posters: testPosters{webchat.NewSigner([]byte("admin-test-secret-0123456789"))},
		Content: files, Now: d.Clock.Now,
		// An hour, so that slow hashing (the race detector) cannot
		// outlast the period.
		LoginsPerName: admin.Limit{N: 5, Period: time.Hour},
		// The cheapest hashing keeps the tests quick under the race
		// detector; the cost does not change what is tested.
		PasswordCost: bcrypt.MinCost, Limiter: d.Store.NewRateLimiter(), DefaultLang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	c.Register(e)
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Store.SetOperator(context.Background(), operator, hash); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &consoleFixture{desk: d, srv: srv, chat: chat, fake: fake, files: files}
}

// browser is an operator's browser: cookies kept, redirects not
// followed, so that each answer can be checked.
type browser struct {
	t      *testing.T
	c      *http.Client
	base   string
	status int
	body   string
	header http.Header
}

func (f *consoleFixture) browser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: f.srv.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(method, path string, form url.Values) *browser {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, b.base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept-Language", "en")
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	b.status, b.body, b.header = resp.StatusCode, string(raw), resp.Header
	return b
}

func (b *browser) login(name, pw string) *browser {
	return b.do("POST", "/admin/login", url.Values{"name": {name}, "password": {pw}})
}

var (
	csrfField  = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	nonceField = regexp.MustCompile(`name="nonce" value="([^"]+)"`)
)

// submit posts a form of the page last read, with its hidden fields.
func (b *browser) submit(action string, fields url.Values) *browser {
	b.t.Helper()
	csrf, nonce := csrfField.FindStringSubmatch(b.body), nonceField.FindStringSubmatch(b.body)
	if csrf == nil {
		b.t.Fatalf("no form on the page:\n%s", b.body)
	}
	fields.Set("csrf", csrf[1])
	if nonce != nil {
		fields.Set("nonce", nonce[1])
	}
	return b.do("POST", action, fields)
}

// TestConsolePagesNeedASession: every page but sign-in sends a browser
// without a session to sign in, and every action is refused.
func TestConsolePagesNeedASession(t *testing.T) {
	f := newConsole(t)
	b := f.browser(t)
	for _, p := range []string{"/admin", "/admin/", "/admin/audit", "/admin/conversation?key=web:abc"} {
		if b.do("GET", p, nil); b.status != http.StatusSeeOther || b.header.Get("Location") != "/admin/login" {
			t.Errorf("GET %s: %d to %q, want the sign-in page", p, b.status, b.header.Get("Location"))
		}
	}
	for _, p := range []string{"/admin/conversation/take-over", "/admin/conversation/reply", "/admin/logout"} {
		if b.do("POST", p, url.Values{"key": {"web:abc"}, "text": {"hi"}}); b.status != http.StatusUnauthorized {
			t.Errorf("POST %s: %d, want 401", p, b.status)
		}
	}
	if h := b.do("GET", "/admin/login", nil).header; !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Errorf("sign-in page CSP %q", h.Get("Content-Security-Policy"))
	}
}

// TestLoginThrottled: wrong passwords and unknown names get the same
// answer; after five tries a name is throttled, the right password
// included, on every replica (the count is in Redis).
func TestLoginThrottled(t *testing.T) {
	f := newConsole(t)
	b := f.browser(t)
	if b.login("nobody", password); b.status != http.StatusUnauthorized || !strings.Contains(b.body, "Wrong name or password.") {
		t.Fatalf("unknown name: %d", b.status)
	}
	for i := range 5 {
		if b.login(operator, "wrong password "+string(rune('a'+i))); b.status != http.StatusUnauthorized || !strings.Contains(b.body, "Wrong name or password.") {
			t.Fatalf("try %d: %d", i, b.status)
		}
	}
	if b.login(operator, password); b.status != http.StatusTooManyRequests || b.header.Get("Retry-After") == "" || !strings.Contains(b.body, "Too many attempts") {
		t.Fatalf("sixth try: %d %s, want 429", b.status, b.header.Get("Retry-After"))
	}
	if len(b.c.Jar.Cookies(mustURL(f.srv.URL+"/admin/"))) != 0 {
		t.Fatal("a throttled sign-in got a session")
	}
}

func mustURL(s string) *url.URL {
	u, _ := url.Parse(s)
	return u
}

// TestCSRF: a signed-in operator's browser posting a form without the
// session's token (as another site would make it) changes nothing.
func TestCSRF(t *testing.T) {
	f := newConsole(t)
	key := webchat.KeyOf("csrfconversation")
	process(t, f, key, "hello")
	b := f.browser(t)
	if b.login(operator, password); b.status != http.StatusSeeOther {
		t.Fatalf("sign in: %d %s", b.status, b.body)
	}
	for _, csrf := range []string{"", "forged-token", strings.Repeat("A", 43)} {
		b.do("POST", "/admin/conversation/take-over", url.Values{"key": {key.String()}, "csrf": {csrf}, "nonce": {"n0123456789abcdef0"}})
		if b.status != http.StatusForbidden || !strings.Contains(b.body, "This form has expired") {
			t.Errorf("csrf %q: %d", csrf, b.status)
		}
	}
	snap, err := f.desk.Store.Load(context.Background(), key, "")
	if err != nil || snap.Conv.Human {
		t.Fatalf("a forged form took the conversation over (%v)", err)
	}
}

// process runs a user's text through the engine, as their channel would.
func process(t *testing.T, f *consoleFixture, key bot.Key, text string) []bot.Reply {
	t.Helper()
	res, err := f.desk.Engine.Process(context.Background(), bot.Event{Key: key, Kind: bot.EventText, Text: text, LangHint: "en"})
	if err != nil {
		t.Fatal(err)
	}
	return res.Replies
}

// TestTakeOverEveryChannel: a user on each channel asks for a person;
// the queue shows them; an operator takes over, replies (seen on the
// web page's feed, in the fake Telegram chat, in the terminal's inbox),
// the bot holds the user's messages meanwhile, and the operator hands
// the conversation back to a chosen step. Every action is audited.
func TestTakeOverEveryChannel(t *testing.T) {
	f := newConsole(t)
	ctx := context.Background()
	keys := []bot.Key{webchat.KeyOf("webconversation1"), telegram.KeyOf(4242), {Channel: console.Channel, User: "alice"}}
	for _, k := range keys {
		process(t, f, k, "hello, I lost my slip")
		process(t, f, k, "/human")
	}
	f.desk.Drain(t)
	b := f.browser(t)
	if b.login(operator, password); b.status != http.StatusSeeOther {
		t.Fatalf("sign in: %d", b.status)
	}
	b.do("GET", "/admin/", nil)
	for _, k := range keys {
		if !strings.Contains(b.body, `>`+k.String()+`</a>`) {
			t.Fatalf("the queue does not list %s:\n%s", k, b.body)
		}
	}
	for i, k := range keys {
		reply := "Hello, this is Ann. <b>Let me check.</b>"
		b.do("GET", "/admin/conversation?key="+url.QueryEscape(k.String()), nil)
		if b.submit("/admin/conversation/take-over", url.Values{"key": {k.String()}}); b.status != http.StatusSeeOther {
			t.Fatalf("%s take over: %d %s", k, b.status, b.body)
		}
		b.do("GET", "/admin/conversation?key="+url.QueryEscape(k.String()), nil)
		if !strings.Contains(b.body, `id="held"`) {
			t.Fatalf("%s: the page does not say the bot holds", k)
		}
		if b.submit("/admin/conversation/reply", url.Values{"key": {k.String()}, "text": {reply}}); b.status != http.StatusSeeOther {
			t.Fatalf("%s reply: %d", k, b.status)
		}
		seen := delivered(t, f, k)
		if !containsText(seen, "A person from our team has joined") || !containsText(seen, reply) {
			t.Fatalf("%s got %q, want the operator's arrival and words", k, seen)
		}
		// While held, the user's words wait for the operator.
		if got := process(t, f, k, "thanks, it was yesterday"); len(got) != 1 || got[0].MsgID != bot.MsgWithHuman {
			t.Fatalf("%s while held: %v", k, got)
		}
		b.do("GET", "/admin/conversation?key="+url.QueryEscape(k.String()), nil)
		if !strings.Contains(b.body, "thanks, it was yesterday") || strings.Contains(b.body, "<b>Let me") {
			t.Fatalf("%s: the transcript does not show the user's words, or shows markup unescaped", k)
		}
		step := []string{"consumer.who", "", "consumer.consent"}[i]
		if b.submit("/admin/conversation/hand-back", url.Values{"key": {k.String()}, "step": {step}}); b.status != http.StatusSeeOther {
			t.Fatalf("%s hand back: %d", k, b.status)
		}
		snap, err := f.desk.Store.Load(ctx, k, "")
		if err != nil || snap.Conv.Human {
			t.Fatalf("%s is still held after hand-back (%v)", k, err)
		}
		if step != "" && snap.Conv.Flow+"."+snap.Conv.Step != step {
			t.Errorf("%s handed back to %s.%s, want %s", k, snap.Conv.Flow, snap.Conv.Step, step)
		}
		if seen := delivered(t, f, k); !containsText(seen, "I'm the assistant again") {
			t.Errorf("%s got %q after hand-back", k, seen)
		}
	}
	b.do("GET", "/admin/audit", nil)
	for _, a := range []string{"sign_in", "take_over", "reply", "hand_back"} {
		if !strings.Contains(b.body, a) {
			t.Errorf("the audit log lacks %s", a)
		}
	}
	if n := strings.Count(b.body, ">reply<"); n != len(keys) {
		t.Errorf("the audit log has %d replies, want %d", n, len(keys))
	}
}

// delivered returns the texts that reached the user's channel since the
// last call: the web feed, the fake Telegram chat, the terminal inbox.
func delivered(t *testing.T, f *consoleFixture, k bot.Key) []string {
	t.Helper()
	var out []string
	switch k.Channel {
	case webchat.Channel:
		entries, err := f.desk.Store.Feed(context.Background(), k, "", 500)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			out = append(out, string(e.Data))
		}
	case telegram.Channel:
		var chat int64 = 4242
		for _, s := range f.fake.Sent(chat) {
			out = append(out, s.Text)
		}
	case console.Channel:
		// Each push is one batch in the inbox.
		for {
			replies, err := f.desk.Store.PopInbox(context.Background(), k, time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if len(replies) == 0 {
				break
			}
			for _, r := range replies {
				out = append(out, r.Text)
			}
		}
	}
	return out
}

func containsText(texts []string, want string) bool {
	for _, s := range texts {
		if strings.Contains(s, want) || strings.Contains(s, strings.NewReplacer("<", `\u003c`, ">", `\u003e`).Replace(want)) {
			return true
		}
	}
	return false
}

func keyOf(s string) bot.Key {
	ch, user, _ := strings.Cut(s, ":")
	return bot.Key{Channel: ch, User: user}
}

// TestCaseView: an escalated case is in the queue; its page shows the
// fields as text, the history and the shop's answer, and serves its
// proof file with the type it was taken as, sandboxed.
func TestCaseView(t *testing.T) {
	f := newConsole(t)
	ctx := context.Background()
	png := []byte("\x89PNG\r\n\x1a\n0000")
	ref, err := f.desk.Proofs.Put(ctx, bot.ProofOwner(webchat.KeyOf("caseconsumer")), strings.NewReader(string(png)))
	if err != nil {
		t.Fatal(err)
	}
	consumer := webchat.KeyOf("caseconsumer")
	cs := bot.Case{
		No: "PS-7K3Q9", Status: bot.CaseEscalated, Consumer: &consumer, Merchant: "M4KX7PQ",
		Fields: map[string]string{"merchant": "<script>alert(1)</script>", "last4": "4321"},
		Proofs: []bot.Proof{{Kind: "bank_sms", At: 1, Attachment: bot.Attachment{Name: "sms.png", Mime: "image/png", Size: int64(len(png)), StoreRef: ref}}},
		Log:    []bot.CaseChange{{At: 1, Status: bot.CaseEscalated, Actor: "timer", Note: "shop silent"}},
		Answer: &bot.MerchantNote{Value: "need_info", Text: "which till?", At: 2},
		Opened: 1, Updated: 2, Seq: 1,
	}
	if err := f.desk.Store.SyncCase(ctx, cs); err != nil {
		t.Fatal(err)
	}
	b := f.browser(t)
	if b.login(operator, password); b.status != http.StatusSeeOther {
		t.Fatalf("sign in: %d", b.status)
	}
	if b.do("GET", "/admin/", nil); !strings.Contains(b.body, `href="/admin/case?no=PS-7K3Q9"`) {
		t.Fatalf("the queue does not list the escalated case:\n%s", b.body)
	}
	b.do("GET", "/admin/case?no=PS-7K3Q9", nil)
	if b.status != 200 || strings.Contains(b.body, "<script>alert") || !strings.Contains(b.body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Fatalf("case page: %d, fields not escaped:\n%s", b.status, b.body)
	}
	for _, want := range []string{"shop silent", "which till?", "sms.png", "4321", "/admin/conversation?key=web%3acaseconsumer"} {
		if !strings.Contains(b.body, want) {
			t.Errorf("case page lacks %q", want)
		}
	}
	b.do("GET", "/admin/proof?no=PS-7K3Q9&i=0", nil)
	if b.status != 200 || b.body != string(png) || b.header.Get("Content-Type") != "image/png" || !strings.Contains(b.header.Get("Content-Security-Policy"), "sandbox") {
		t.Fatalf("proof: %d %q %q", b.status, b.header.Get("Content-Type"), b.header.Get("Content-Security-Policy"))
	}
	for _, q := range []string{"no=PS-7K3Q9&i=1", "no=PS-7K3Q9&i=-1", "no=PS-NONE&i=0", "no=PS-7K3Q9&i=x"} {
		if b.do("GET", "/admin/proof?"+q, nil); b.status != http.StatusNotFound {
			t.Errorf("proof %s: %d, want 404", q, b.status)
		}
	}
	if f.browser(t).do("GET", "/admin/proof?no=PS-7K3Q9&i=0", nil).status != http.StatusSeeOther {
		t.Error("a proof is served without a session")
	}
}

// testPosters draws posters as the service does, linking to a test
// address.
type testPosters struct{ signer *webchat.Signer }

func (p testPosters) Poster(m bot.Merchant, format string) ([]byte, error) {
	pp := poster.Poster{Name: m.Name, Lines: []string{"付款单丢了？扫码求助", "Lost your payment slip? Scan for help."}, Link: "https://help.example.com/?shop=" + url.QueryEscape(p.signer.Merchant(m.ID))}
	if format == "svg" {
		return poster.SVG(pp)
	}
	fonts, err := poster.LoadFonts("")
	if err != nil {
		return nil, err
	}
	return poster.PNG(pp, fonts)
}

// TestShops: an operator lists and adds shops (a bad name is said on the
// page and adds nothing), makes a link code that links a chat, and
// downloads the QR poster, whose code reads back to the shop's link.
func TestShops(t *testing.T) {
	f := newConsole(t)
	b := f.browser(t)
	if b.login(operator, password); b.status != http.StatusSeeOther {
		t.Fatalf("sign in: %d", b.status)
	}
	b.do("GET", "/admin/shops", nil)
	if b.submit("/admin/shops", url.Values{"name": {"星光超市 <b>人民路店</b>"}, "aliases": {"Starlight, 星光"}, "lang": {"zh-CN"}}); b.status != http.StatusSeeOther {
		t.Fatalf("add: %d %s", b.status, b.body)
	}
	b.do("GET", "/admin/shops", nil)
	if b.submit("/admin/shops", url.Values{"name": {"   "}, "lang": {"en"}}); b.status != http.StatusBadRequest || !strings.Contains(b.body, `id="error"`) {
		t.Fatalf("add without a name: %d", b.status)
	}
	list, err := f.desk.Store.Merchants(context.Background())
	if err != nil || len(list) != 1 {
		t.Fatalf("registry holds %d shops (%v), want 1", len(list), err)
	}
	m := list[0]
	b.do("GET", "/admin/shops", nil)
	if !strings.Contains(b.body, "星光超市 &lt;b&gt;人民路店&lt;/b&gt;") {
		t.Fatalf("the shop's name is not shown as text:\n%s", b.body)
	}
	b.submit("/admin/shops/link-code", url.Values{"id": {m.ID}})
	code := regexp.MustCompile(`/start ([A-Z0-9]+)</b>`).FindStringSubmatch(b.body)
	if b.status != 200 || code == nil {
		t.Fatalf("link code: %d\n%s", b.status, b.body)
	}
	shopChat := webchat.KeyOf("shopchat")
	if got := process(t, f, shopChat, "/start "+code[1]); len(got) == 0 {
		t.Fatal("the link code got no answer")
	}
	if m, _ = f.desk.Store.Merchant(context.Background(), m.ID); len(m.Chats) != 1 || m.Chats[0] != shopChat {
		t.Fatalf("the code linked %v", m.Chats)
	}
	b.do("GET", "/admin/shops/poster?format=png&id="+m.ID, nil)
	if b.status != 200 || b.header.Get("Content-Type") != "image/png" {
		t.Fatalf("poster: %d %s", b.status, b.header.Get("Content-Type"))
	}
	link := postertest.Decode(t, []byte(b.body))
	u, _ := url.Parse(link)
	if id, ok := webchat.NewSigner([]byte("admin-test-secret-0123456789")).OpenMerchant(u.Query().Get("shop")); !ok || id != m.ID {
		t.Fatalf("the poster links to %q", link)
	}
	b.do("GET", "/admin/audit", nil)
	for _, a := range []string{"add_shop", "link_code", "poster"} {
		if !strings.Contains(b.body, a) {
			t.Errorf("the audit log lacks %s", a)
		}
	}
}

// TestFlowsPage: the running flows with their versions and how many
// conversations run on each, the check of the files, each flow drawn
// (every step named, nothing from the flow taken as markup) and in
// Mermaid.
func TestFlowsPage(t *testing.T) {
	f := newConsole(t)
	for _, user := range []string{"flowsuser1", "flowsuser2"} {
		process(t, f, webchat.KeyOf(user), "hello")
	}
	b := f.browser(t)
	if b.login(operator, password); b.status != http.StatusSeeOther {
		t.Fatalf("sign in: %d", b.status)
	}
	b.do("GET", "/admin/flows", nil)
	c := f.desk.Engine.Content()
	for name, fl := range c.Flows {
		if !strings.Contains(b.body, fl.Version) || !strings.Contains(b.body, `id="`+name+`"`) {
			t.Errorf("the flows page lacks %s %s", name, fl.Version)
		}
		for _, s := range fl.Steps {
			if !strings.Contains(b.body, ">"+s.ID+"</text>") {
				t.Errorf("the drawing of %s lacks step %s", name, s.ID)
			}
		}
	}
	row := regexp.MustCompile(`<a href="#consumer">consumer</a></td><td><code>` + c.Flows["consumer"].Version + `</code></td><td class="in-use">(\d+)</td>`).FindStringSubmatch(b.body)
	if row == nil || row[1] != "2" {
		t.Errorf("the consumer flow's row %q, want 2 conversations on it", row)
	}
	if !strings.Contains(b.body, `<pre class="mermaid">flowchart TD`) || !strings.Contains(b.body, "--&gt;") {
		t.Errorf("the flows page has no Mermaid graph")
	}
	if n := strings.Count(b.body, `<div class="graph"><svg xmlns="http://www.w3.org/2000/svg"`); n != len(c.Flows) {
		t.Errorf("%d drawings for %d flows", n, len(c.Flows))
	}
	if strings.Contains(b.body, "<script") || !strings.Contains(b.body, `id="lint-ok"`) {
		t.Errorf("the page has a script, or does not say the files are fine")
	}
}

// TestFlowsReload: an operator reloads an edit of the files, which every
// replica takes from Redis; the flows page then shows the published
// content. A broken edit is shown with its problems and changes nothing.
// Without a session or its CSRF token the reload is refused. Each reload
// is audited.
func TestFlowsReload(t *testing.T) {
	f := newConsole(t)
	ctx := context.Background()
	before := f.desk.Engine.Content()
	b := f.browser(t)
	if b.do("POST", "/admin/flows/reload", url.Values{}); b.status != http.StatusUnauthorized {
		t.Fatalf("reload without a session: %d", b.status)
	}
	b.login(operator, password)
	if b.do("POST", "/admin/flows/reload", url.Values{"csrf": {"forged"}}); b.status != http.StatusForbidden || f.desk.Engine.Content() != before {
		t.Fatalf("reload without the CSRF token: %d", b.status)
	}
	const edited = "Sorry, I could not read that. Please answer again."
	en := filepath.Join(f.files.locales, "en.toml")
	replaceIn(t, en, `retry = "I didn't understand that answer. Please try again."`, `retry = "`+edited+`"`)
	b.do("GET", "/admin/flows", nil)
	if b.submit("/admin/flows/reload", url.Values{}); b.status != http.StatusSeeOther || b.header.Get("Location") != "/admin/flows?reloaded=1" {
		t.Fatalf("reload: %d %s", b.status, b.body)
	}
	if got, _ := f.desk.Engine.Content().Catalog.Render("en", bot.MsgRetry, nil); got != edited {
		t.Fatalf("after the reload the engine says %q", got)
	}
	pub, err := f.desk.Store.PublishedContent(ctx)
	if err != nil || pub.By != operator || pub.Digest != f.files.Running() {
		t.Fatalf("published %s by %q (%v)", pub.Digest, pub.By, err)
	}
	b.do("GET", "/admin/flows?reloaded=1", nil)
	if !strings.Contains(b.body, `id="reloaded"`) || !strings.Contains(b.body, pub.Digest) {
		t.Fatalf("the page after the reload:\n%s", b.body)
	}

	replaceIn(t, filepath.Join(f.files.flows, "consumer.yaml"), "next: problem\n", "next: problme\n")
	b.do("GET", "/admin/flows", nil)
	if !strings.Contains(b.body, "problme") || !strings.Contains(b.body, `id="reload" disabled`) {
		t.Fatalf("the check does not show the broken flow:\n%s", b.body)
	}
	running := f.desk.Engine.Content()
	if b.submit("/admin/flows/reload", url.Values{}); b.status != http.StatusUnprocessableEntity || !strings.Contains(b.body, "running content is kept") || !strings.Contains(b.body, "problme") {
		t.Fatalf("broken reload: %d", b.status)
	}
	if f.desk.Engine.Content() != running {
		t.Fatal("a broken reload replaced the running content")
	}
	if got, _ := f.desk.Store.PublishedDigest(ctx); got != pub.Digest {
		t.Fatalf("a broken reload published %s", got)
	}
	b.do("GET", "/admin/audit", nil)
	for _, a := range []string{">reload<", ">reload_refused<"} {
		if !strings.Contains(b.body, a) {
			t.Errorf("the audit log lacks %s", a)
		}
	}
}

// replaceIn replaces old with new, once, in the file at path.
func replaceIn(t *testing.T, path, old, new string) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), old) {
		t.Fatalf("%s lacks %q", path, old)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(src), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// reportUnregisteredShop plays a consumer on the shipped flows through
// a report about a shop that is not registered, up to the open case, and
// returns its number.
func reportUnregisteredShop(t *testing.T, f *consoleFixture, key bot.Key) string {
	t.Helper()
	d := &bottest.EngineDriver{Engine: f.desk.Engine, Key: key, LangHint: "en"}
	last := d.Text(t, "Hi, I lost my receipt")
	for _, step := range []string{"*agree", "*card_slip", "yesterday 3pm", "Moonlight Bakery", "*only_lost", "128.50", "*credit", "4321", "*none", "*refund", "*ok", "*open", "*later"} {
		if v, ok := strings.CutPrefix(step, "*"); ok {
			last = d.Button(t, last, v)
		} else {
			last = d.Text(t, step)
		}
	}
	f.desk.Drain(t)
	snap, err := f.desk.Store.Load(context.Background(), key, "")
	if err != nil {
		t.Fatal(err)
	}
	no := snap.Conv.Slots["case_no"]
	if c := snap.Conv.Case(no); c == nil || c.Reason != bot.ReasonMerchantUnregistered {
		t.Fatalf("the report opened no case of an unregistered shop (case %q)", no)
	}
	return no
}

// TestQueueAndCloseCase: the queue lists, oldest first, a case of a shop
// that cannot be reached and one of a shop that is not registered; the
// operator closes the second from its page (the consumer is told on
// their channel, the action is audited) and it leaves the queue; the
// same form again is refused and changes nothing.
func TestQueueAndCloseCase(t *testing.T) {
	f := newConsole(t)
	ctx := context.Background()
	older := bot.Case{No: "PS-CDEF3", Status: bot.CaseEscalated, Reason: bot.ReasonMerchantUnreachable, Merchant: "M4KX7PQ", Opened: 1, Updated: 1, Seq: 1,
		Log: []bot.CaseChange{{At: 1, Status: bot.CaseEscalated, Actor: "consumer"}}}
	if err := f.desk.Store.SyncCase(ctx, older); err != nil {
		t.Fatal(err)
	}
	consumer := webchat.KeyOf("unregisteredshopconsumer")
	no := reportUnregisteredShop(t, f, consumer)
	b := f.browser(t)
	if b.login(operator, password); b.status != http.StatusSeeOther {
		t.Fatalf("sign in: %d", b.status)
	}
	b.do("GET", "/admin/", nil)
	first, second := strings.Index(b.body, "PS-CDEF3"), strings.Index(b.body, no)
	if first < 0 || second < first || !strings.Contains(b.body, "Shop cannot be reached") || !strings.Contains(b.body, "Shop not registered") || !strings.Contains(b.body, "Moonlight Bakery") {
		t.Fatalf("the queue does not list both cases, oldest first:\n%s", b.body)
	}
	b.do("GET", "/admin/case?no="+no, nil)
	casePage := b.body
	if b.submit("/admin/case/close", url.Values{"no": {no}}); b.status != http.StatusSeeOther {
		t.Fatalf("close: %d %s", b.status, b.body)
	}
	f.desk.Drain(t)
	c, err := f.desk.Store.Case(ctx, no)
	if err != nil || c.Status != bot.CaseClosed || c.Log[len(c.Log)-1].Actor != "operator:"+operator {
		t.Fatalf("case after closing: %+v (%v)", c, err)
	}
	if seen := delivered(t, f, consumer); !containsText(seen, "Our support team has closed case "+no) {
		t.Fatalf("the consumer got %q, want the closing", seen)
	}
	if b.do("GET", "/admin/case?no="+no, nil); !strings.Contains(b.body, no+" · closed") || strings.Contains(b.body, `id="close-case"`) {
		t.Fatalf("the case page after closing:\n%s", b.body)
	}
	if b.do("GET", "/admin/", nil); strings.Contains(b.body, no) || !strings.Contains(b.body, "PS-CDEF3") {
		t.Fatalf("the queue after closing:\n%s", b.body)
	}
	b.body = casePage
	if b.submit("/admin/case/close", url.Values{"no": {no}}); b.status != http.StatusConflict || !strings.Contains(b.body, "resolved or closed already") {
		t.Fatalf("closing again: %d %s", b.status, b.body)
	}
	closings := 0
	for _, s := range delivered(t, f, consumer) {
		closings += strings.Count(s, "has closed case")
	}
	if closings != 1 {
		t.Fatalf("the consumer was told of the closing %d times, want once", closings)
	}
	b.do("GET", "/admin/audit", nil)
	if n := strings.Count(b.body, ">close_case<"); n != 1 {
		t.Errorf("the audit log has %d closings, want 1", n)
	}
}

// TestCloseCaseNeedsSessionAndCSRF: without a session the form is
// refused; with one but without its token it is forbidden; either way the
// case stays as it was.
func TestCloseCaseNeedsSessionAndCSRF(t *testing.T) {
	f := newConsole(t)
	ctx := context.Background()
	cs := bot.Case{No: "PS-CDEF3", Status: bot.CaseEscalated, Reason: bot.ReasonMerchantSilent, Opened: 1, Updated: 1, Seq: 1}
	if err := f.desk.Store.SyncCase(ctx, cs); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"no": {cs.No}, "nonce": {"n0123456789abcdef0"}}
	b := f.browser(t)
	if b.do("POST", "/admin/case/close", form); b.status != http.StatusUnauthorized {
		t.Fatalf("without a session: %d, want 401", b.status)
	}
	b.login(operator, password)
	form.Set("csrf", "forged-token")
	if b.do("POST", "/admin/case/close", form); b.status != http.StatusForbidden {
		t.Fatalf("without the CSRF token: %d, want 403", b.status)
	}
	if c, _ := f.desk.Store.Case(ctx, cs.No); c.Status != bot.CaseEscalated {
		t.Fatalf("a refused form changed the case to %s", c.Status)
	}
}
