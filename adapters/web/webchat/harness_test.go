package webchat_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/adapters/web"
	"github.com/slipdesk/slipdesk/adapters/web/webchat"
	"github.com/slipdesk/slipdesk/bot"
)

const testSecret = "web-chat-test-secret-0123456789"

// harness is a web chat over a test desk, served by httptest the way
// slipdesk serve serves it.
type harness struct {
	desk *redistest.Desk
	chat *webchat.Chat
	srv  *httptest.Server
}

// newHarness starts the chat with the project's content on d; mod may
// change its options first.
func newHarness(t testing.TB, d *redistest.Desk, mod func(*webchat.Options)) *harness {
	t.Helper()
	opts := webchat.Options{
		Engine: d.Engine, Feeds: d.Store, Proofs: d.Proofs,
		Secret: []byte(testSecret), Limiter: d.Store.NewRateLimiter(),
	}
	if mod != nil {
		mod(&opts)
	}
	chat, err := webchat.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	e := web.New(web.Options{})
	chat.Register(e)
	d.Workers.Senders[webchat.Channel] = chat
	ctx, cancel := context.WithCancel(context.Background())
	ready, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		if err := chat.Run(ctx, ready); err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	<-ready
	srv := httptest.NewServer(e)
	t.Cleanup(func() {
		srv.Close()
		cancel()
		<-done
	})
	return &harness{desk: d, chat: chat, srv: srv}
}

// response is a decoded answer of the API.
type response struct {
	Code    int
	Header  http.Header
	Body    []byte
	Replies []webchat.Entry `json:"replies"`
	Entries []webchat.Entry `json:"entries"`
	Token   string          `json:"token"`
	Lang    string          `json:"lang"`
	Error   string          `json:"error"`
	Message string          `json:"message"`
}

// do makes a request with headers and decodes the answer.
func (h *harness) do(t testing.TB, method, path string, body io.Reader, headers map[string]string) response {
	t.Helper()
	req, err := http.NewRequest(method, h.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := response{Code: resp.StatusCode, Header: resp.Header, Body: raw}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, raw)
		}
	}
	return r
}

// start opens a conversation and returns its token.
func (h *harness) start(t testing.TB, lang string) string {
	t.Helper()
	r := h.do(t, "POST", "/api/chat/start", strings.NewReader(`{}`), langHeader(lang))
	if r.Code != http.StatusOK || r.Token == "" {
		t.Fatalf("start: %d %s", r.Code, r.Body)
	}
	return r.Token
}

func langHeader(lang string) map[string]string {
	h := map[string]string{"Content-Type": "application/json"}
	if lang != "" {
		h["X-Chat-Lang"] = lang
	}
	return h
}

// sendJSON posts a message body with a token.
func (h *harness) sendJSON(t testing.TB, token, lang string, body any) response {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	hd := langHeader(lang)
	hd["X-Chat-Token"] = token
	return h.do(t, "POST", "/api/chat/send", bytes.NewReader(b), hd)
}

// upload posts a file as the page does.
func (h *harness) upload(t testing.TB, token, lang, id, name string, content []byte) response {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if err := w.WriteField("id", id); err != nil {
		t.Fatal(err)
	}
	fw, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content)
	w.Close()
	hd := map[string]string{"Content-Type": w.FormDataContentType(), "X-Chat-Token": token}
	if lang != "" {
		hd["X-Chat-Lang"] = lang
	}
	return h.do(t, "POST", "/api/chat/upload", &buf, hd)
}

// feed reads a conversation's feed after an entry.
func (h *harness) feed(t testing.TB, token, after string) []webchat.Entry {
	t.Helper()
	r := h.do(t, "GET", "/api/chat/feed?after="+after, nil, map[string]string{"X-Chat-Token": token})
	if r.Code != http.StatusOK {
		t.Fatalf("feed: %d %s", r.Code, r.Body)
	}
	return r.Entries
}

// replies turns entries of the bot back into the engine's replies.
func replies(entries []webchat.Entry) []bot.Reply {
	var out []bot.Reply
	for _, e := range entries {
		if e.From != "bot" {
			continue
		}
		r := bot.Reply{MsgID: e.Msg, Text: e.Text}
		for _, o := range e.Options {
			r.Options = append(r.Options, bot.Option{Value: o.Value, Label: o.Label, Data: o.Data})
		}
		out = append(out, r)
	}
	return out
}

var ids atomic.Int64

// nextID is a fresh client message ID.
func nextID() string { return fmt.Sprintf("m%d", ids.Add(1)) }
