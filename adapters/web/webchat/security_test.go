package webchat_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/adapters/web/webchat"
	"github.com/slipdesk/slipdesk/bot"
)

// keysOf lists the desk's keys, to show that a refused request wrote
// nothing (rate limiter counters aside, which count refused requests
// too).
func keysOf(t *testing.T, d *redistest.Desk) []string {
	t.Helper()
	var out []string
	for _, k := range redistest.Keys(t, d.RDB, d.Prefix) {
		if !strings.HasPrefix(k, d.Prefix+"rate:") {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// TestForgedAndSwappedTokens: no request without a token the server
// signed for that very conversation reads or writes anything.
func TestForgedAndSwappedTokens(t *testing.T) {
	d := realDesk(t)
	h := newHarness(t, d, nil)
	victim := h.start(t, "en")
	if r := h.sendJSON(t, victim, "en", map[string]any{"id": nextID(), "text": "my secret story"}); r.Code != 200 {
		t.Fatalf("send: %d", r.Code)
	}
	attacker := h.start(t, "en")
	vid, vsig, _ := strings.Cut(victim, ".")
	aid, asig, _ := strings.Cut(attacker, ".")
	other := webchat.NewSigner([]byte("another-secret-0123456789"))
	_, foreign := other.NewConversation()
	otherVictim := vid + "." + strings.SplitN(other.Merchant(vid), ".", 2)[1]
	shopRef := h.chat.Signer().Merchant(vid)
	forged := map[string]string{
		"none":                    "",
		"id only":                 vid,
		"id, empty mac":           vid + ".",
		"swapped mac":             vid + "." + asig,
		"attacker id, victim mac": aid + "." + vsig,
		"mac flipped":             vid + "." + flip(vsig),
		"other secret":            foreign,
		"other secret, victim":    otherVictim,
		"shop reference":          shopRef,
		"long":                    strings.Repeat("a", 5000) + "." + vsig,
	}
	before := keysOf(t, d)
	for name, tok := range forged {
		t.Run(name, func(t *testing.T) {
			hd := map[string]string{"X-Chat-Token": tok, "Content-Type": "application/json"}
			checks := []response{
				h.do(t, "POST", "/api/chat/send", strings.NewReader(`{"id":"x1","text":"hi"}`), hd),
				h.do(t, "GET", "/api/chat/feed", nil, hd),
				h.do(t, "GET", "/api/chat/events?t="+tok, nil, nil),
				h.upload(t, tok, "en", "x2", "a.png", []byte("\x89PNG\r\n\x1a\n....")),
			}
			for i, r := range checks {
				if r.Code != http.StatusUnauthorized || r.Error != "session" || r.Message == "" {
					t.Errorf("request %d: %d %s, want 401 with a message", i, r.Code, r.Body)
				}
				if strings.Contains(string(r.Body), "secret story") {
					t.Errorf("request %d leaked the victim's feed", i)
				}
			}
		})
	}
	if after := keysOf(t, d); !slices.Equal(before, after) {
		t.Fatalf("forged tokens changed the store:\nbefore %v\nafter  %v", before, after)
	}
}

func flip(s string) string {
	b := []byte(s)
	if b[0] == 'A' {
		b[0] = 'B'
	} else {
		b[0] = 'A'
	}
	return string(b)
}

// TestXSSKeptAsText: markup in every text field and file name is kept
// as text in JSON, never turned into markup by the server; the page sets
// it as text (the browser test shows it on screen as typed).
func TestXSSKeptAsText(t *testing.T) {
	d := realDesk(t)
	h := newHarness(t, d, nil)
	tok := h.start(t, "en")
	payload := `<img src=x onerror=alert(1)><script>alert(2)</script>"'&`
	r := h.sendJSON(t, tok, "en", map[string]any{"id": nextID(), "text": payload})
	if r.Code != 200 {
		t.Fatalf("send: %d", r.Code)
	}
	last := r.Replies[len(r.Replies)-1]
	r = h.sendJSON(t, tok, "en", map[string]any{"id": nextID(), "button": last.Options[0].Data, "label": payload})
	if r.Code != 200 {
		t.Fatalf("button: %d", r.Code)
	}
	if r := h.upload(t, tok, "en", nextID(), payload+".png", sampleJPEG()); r.Code != 200 {
		t.Fatalf("upload: %d %s", r.Code, r.Body)
	}
	raw := h.do(t, "GET", "/api/chat/feed", nil, map[string]string{"X-Chat-Token": tok})
	if bytes.Contains(raw.Body, []byte("<script>")) || bytes.Contains(raw.Body, []byte("<img")) {
		t.Fatalf("feed JSON carries raw markup: %s", raw.Body)
	}
	if ct := raw.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") || raw.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("feed served as %q, nosniff %q", ct, raw.Header.Get("X-Content-Type-Options"))
	}
	var texts []string
	for _, e := range raw.Entries {
		if e.From == "me" {
			texts = append(texts, e.Text+e.File)
		}
	}
	want := []string{payload, payload, bot.CleanProofName(payload + ".png")}
	if !slices.Equal(texts, want) {
		t.Fatalf("the user's entries are %q, want them kept as typed %q", texts, want)
	}
	// A shop reference that is not one is not reflected into the page.
	page := h.do(t, "GET", "/?shop="+`%22%3E%3Cscript%3Ealert(3)%3C/script%3E`, nil, nil)
	if strings.Contains(string(page.Body), "alert(3)") {
		t.Fatalf("the page reflects the query: %s", page.Body)
	}
}

func sampleJPEG() []byte { return append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, make([]byte, 64)...) }

// TestHTMLNamedJPG: an HTML file named .jpg is refused by its content;
// the user hears why in their language, and nothing is stored.
func TestHTMLNamedJPG(t *testing.T) {
	d := realDesk(t)
	h := newHarness(t, d, nil)
	for _, lang := range []string{"en", "zh-CN"} {
		tok := h.start(t, lang)
		r := h.upload(t, tok, lang, nextID(), "photo.jpg", []byte("<html><script>alert(1)</script></html>"))
		if r.Code != 200 || len(r.Replies) == 0 || r.Replies[0].Msg != bot.MsgProofType {
			t.Fatalf("%s: %d %+v, want the engine's answer %s", lang, r.Code, r.Replies, bot.MsgProofType)
		}
		if lang == "zh-CN" && !containsHan(r.Replies[0].Text) {
			t.Errorf("answer %q is not in Chinese", r.Replies[0].Text)
		}
	}
	if n := countFiles(t, d.Proofs.Dir()); n != 0 {
		t.Fatalf("proof store holds %d files, want none", n)
	}
}

func containsHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

// TestOversized: a JSON body over the limit gets 413 in the user's
// language and changes nothing; an upload over the proof limit is
// answered by the engine as too large, and stores nothing.
func TestOversized(t *testing.T) {
	d := realDesk(t)
	h := newHarness(t, d, func(o *webchat.Options) { o.MaxProofSize = 4 << 10 })
	tok := h.start(t, "zh-CN")
	before := keysOf(t, d)
	big, _ := json.Marshal(map[string]any{"id": nextID(), "text": strings.Repeat("很", 20<<10)})
	r := h.do(t, "POST", "/api/chat/send", bytes.NewReader(big), map[string]string{"X-Chat-Token": tok, "X-Chat-Lang": "zh-CN"})
	if r.Code != http.StatusRequestEntityTooLarge || r.Error != "too_large" || !containsHan(r.Message) {
		t.Fatalf("big body: %d %s", r.Code, r.Body)
	}
	if after := keysOf(t, d); !slices.Equal(before, after) {
		t.Fatalf("a refused body changed the store: %v", after)
	}
	for _, size := range []int{5 << 10, 200 << 10} {
		r := h.upload(t, tok, "zh-CN", nextID(), "big.jpg", append(sampleJPEG(), make([]byte, size)...))
		if r.Code != 200 || len(r.Replies) == 0 || r.Replies[0].Msg != bot.MsgProofTooLarge {
			t.Fatalf("upload of %d bytes: %d %s", size, r.Code, r.Body)
		}
	}
	if n := countFiles(t, d.Proofs.Dir()); n != 0 {
		t.Fatalf("proof store holds %d files, want none", n)
	}
}

// TestBadRequests: malformed bodies, message IDs and feed positions get
// 400 with a message, and change nothing.
func TestBadRequests(t *testing.T) {
	d := realDesk(t)
	h := newHarness(t, d, nil)
	tok := h.start(t, "en")
	before := keysOf(t, d)
	hd := map[string]string{"X-Chat-Token": tok, "Content-Type": "application/json"}
	for _, body := range []string{`not json`, `{"text":"no id"}`, `{"id":"../../x","text":"a"}`, `{"id":"` + strings.Repeat("a", 65) + `","text":"a"}`, `{"id":"a1","text":"a","button":"t1:x"}`} {
		if r := h.do(t, "POST", "/api/chat/send", strings.NewReader(body), hd); r.Code != 400 || r.Message == "" {
			t.Errorf("%s: %d %s, want 400", body, r.Code, r.Body)
		}
	}
	for _, after := range []string{"abc", "1-2-3", "%2B"} {
		if r := h.do(t, "GET", "/api/chat/feed?after="+after, nil, hd); r.Code != 400 {
			t.Errorf("after=%s: %d, want 400", after, r.Code)
		}
	}
	if after := keysOf(t, d); !slices.Equal(before, after) {
		t.Fatalf("bad requests changed the store: %v", after)
	}
}

// TestRateLimitsAcrossReplicas: the limit of one conversation holds over
// two replicas sharing Redis; the refusal says when to try again, in
// the user's language.
func TestRateLimitsAcrossReplicas(t *testing.T) {
	d := realDesk(t)
	lim := func(o *webchat.Options) { o.PerConversation = webchat.Limit{N: 3, Period: time.Minute} }
	a, b := newHarness(t, d, lim), newHarness(t, d, lim)
	tok := a.start(t, "en")
	for i, h := range []*harness{a, b, a} {
		if r := h.sendJSON(t, tok, "en", map[string]any{"id": nextID(), "text": "hello"}); r.Code != 200 {
			t.Fatalf("message %d: %d %s", i, r.Code, r.Body)
		}
	}
	r := b.sendJSON(t, tok, "en", map[string]any{"id": nextID(), "text": "hello"})
	if r.Code != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" || !strings.Contains(r.Message, "seconds") {
		t.Fatalf("fourth message: %d %s (Retry-After %q), want 429", r.Code, r.Body, r.Header.Get("Retry-After"))
	}
	// Another conversation is not held back by this one.
	if r := a.sendJSON(t, a.start(t, "en"), "en", map[string]any{"id": nextID(), "text": "hello"}); r.Code != 200 {
		t.Fatalf("another conversation: %d", r.Code)
	}
}

// TestNewConversationsPerIP: one address cannot open conversations
// without end.
func TestNewConversationsPerIP(t *testing.T) {
	h := newHarness(t, realDesk(t), func(o *webchat.Options) { o.NewPerIP = webchat.Limit{N: 2, Period: time.Minute} })
	h.start(t, "en")
	h.start(t, "en")
	if r := h.do(t, "POST", "/api/chat/start", strings.NewReader(`{}`), langHeader("en")); r.Code != http.StatusTooManyRequests {
		t.Fatalf("third start: %d, want 429", r.Code)
	}
}
