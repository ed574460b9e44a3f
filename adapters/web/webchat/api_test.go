package webchat_test

import (
	"bufio"
	"context"
	"io/fs"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/adapters/web/webchat"
	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/bottest"
)

func realDesk(t *testing.T) *redistest.Desk {
	t.Helper()
	return redistest.NewDesk(t, redistest.Real(t), redistest.Options{Flows: "../../../flows", Locales: "../../../locales"})
}

func convKey(token string) bot.Key {
	id, _, _ := strings.Cut(token, ".")
	return webchat.KeyOf(id)
}

// TestHistoryAfterReload: a page opened again reads the whole
// conversation from the feed, what the user sent and what the bot said,
// in order.
func TestHistoryAfterReload(t *testing.T) {
	h := newHarness(t, realDesk(t), nil)
	tok := h.start(t, "en")
	r1 := h.sendJSON(t, tok, "en", map[string]any{"id": nextID(), "text": "hello, I lost my slip"})
	r2 := h.sendJSON(t, tok, "en", map[string]any{"id": nextID(), "button": r1.Replies[len(r1.Replies)-1].Options[0].Data, "label": "I agree"})
	if r1.Code != 200 || r2.Code != 200 {
		t.Fatalf("send: %d %d", r1.Code, r2.Code)
	}
	feed := h.feed(t, tok, "")
	var got []string
	for _, e := range feed {
		got = append(got, e.From+":"+e.Msg+e.Text[:min(len(e.Text), 5)])
	}
	want := []string{"me:hello"}
	for _, e := range r1.Replies {
		want = append(want, "bot:"+e.Msg+e.Text[:5])
	}
	want = append(want, "me:I agr")
	for _, e := range r2.Replies {
		want = append(want, "bot:"+e.Msg+e.Text[:5])
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("feed after reload\n  %v\nwant\n  %v", got, want)
	}
	// The answer to a message carries its replies as the feed keeps
	// them, whole.
	if ct := r1.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("answer's Content-Type %q", ct)
	}
	for i, e := range r1.Replies {
		f := feed[1+i]
		f.ID = ""
		if !reflect.DeepEqual(e, f) {
			t.Fatalf("reply %d answered as\n  %+v\nkept in the feed as\n  %+v", i, e, f)
		}
	}
	// Reading on from the middle gives the rest only.
	if rest := h.feed(t, tok, feed[1].ID); len(rest) != len(feed)-2 || rest[0].ID != feed[2].ID {
		t.Fatalf("feed after %s: %d entries, want %d", feed[1].ID, len(rest), len(feed)-2)
	}
}

// TestRetryAnsweredOnce: one client message sent five times at once, as
// a page retrying over a flaky connection does, gets the same replies
// each time, one turn and one entry in the feed.
func TestRetryAnsweredOnce(t *testing.T) {
	d := realDesk(t)
	h := newHarness(t, d, nil)
	tok := h.start(t, "zh-CN")
	id := nextID()
	var wg sync.WaitGroup
	answers := make([]response, 5)
	for i := range answers {
		wg.Go(func() {
			answers[i] = h.sendJSON(t, tok, "zh-CN", map[string]any{"id": id, "text": "你好，小票丢了"})
		})
	}
	wg.Wait()
	for i, a := range answers {
		if a.Code != 200 || !sameReplies(replies(a.Replies), replies(answers[0].Replies)) {
			t.Fatalf("answer %d: %d %v, want the same replies as the first", i, a.Code, replies(a.Replies))
		}
	}
	feed := h.feed(t, tok, "")
	if mine := countFrom(feed, "me"); mine != 1 || len(feed) != 1+len(answers[0].Replies) {
		t.Fatalf("feed holds %d entries, %d of the user's; want the message once and its replies once", len(feed), mine)
	}
	lines, err := d.Store.Transcript(context.Background(), convKey(tok))
	if err != nil {
		t.Fatal(err)
	}
	if n := countLines(lines, "user"); n != 1 {
		t.Fatalf("transcript has %d user lines, want 1", n)
	}

	// The replies are in the feed now: the turn's delivery record, kept
	// for a retry, goes within minutes instead of the dedupe TTL.
	rdb := d.RDB
	var records int
	for _, k := range redistest.Keys(t, rdb, d.Prefix) {
		if !strings.Contains(k, ":seen:") {
			continue
		}
		records++
		if ttl := rdb.PTTL(context.Background(), k).Val(); ttl <= 0 || ttl > 10*time.Minute {
			t.Errorf("delivery record %s lasts %v more, want at most 10m", k, ttl)
		}
	}
	if records != 1 {
		t.Errorf("%d delivery records, want the turn's", records)
	}
}

func countFrom(entries []webchat.Entry, from string) int {
	n := 0
	for _, e := range entries {
		if e.From == from {
			n++
		}
	}
	return n
}

func countLines(lines []bot.LogLine, from string) int {
	n := 0
	for _, l := range lines {
		if l.From == from {
			n++
		}
	}
	return n
}

// TestLongPollWakesAcrossReplicas: a page long-polling one replica gets
// what the workers push through another (the shop's answer) at once.
func TestLongPollWakesAcrossReplicas(t *testing.T) {
	d := realDesk(t)
	a, b := newHarness(t, d, nil), newHarness(t, d, nil)
	tok := a.start(t, "en")
	got := make(chan response, 1)
	go func() {
		got <- b.do(t, "GET", "/api/chat/feed?wait=1", nil, map[string]string{"X-Chat-Token": tok})
	}()
	// The poll is waiting once nothing comes back for a moment.
	select {
	case r := <-got:
		t.Fatalf("long poll answered before anything was pushed: %d %s", r.Code, r.Body)
	case <-time.After(200 * time.Millisecond):
	}
	pushed := []bot.Reply{{MsgID: "merchant.answer", Text: "The shop found your slip."}}
	if err := a.chat.Send(context.Background(), convKey(tok), pushed); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-got:
		if r.Code != 200 || len(r.Entries) != 1 || r.Entries[0].Text != pushed[0].Text {
			t.Fatalf("long poll: %d %+v, want the pushed reply", r.Code, r.Entries)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the long poll was not woken by a push on another replica")
	}
}

// TestEventStream: the feed as server-sent events, live, and resumed
// after a reconnect from the last event ID the browser got.
func TestEventStream(t *testing.T) {
	d := realDesk(t)
	h := newHarness(t, d, nil)
	tok := h.start(t, "en")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events := stream(t, ctx, h, tok, "")
	r := h.sendJSON(t, tok, "en", map[string]any{"id": nextID(), "text": "hello"})
	want := 1 + len(r.Replies)
	var got []sse
	for len(got) < want {
		select {
		case e := <-events:
			got = append(got, e)
		case <-time.After(10 * time.Second):
			t.Fatalf("got %d events, want %d", len(got), want)
		}
	}
	if !strings.Contains(got[0].data, `"from":"me"`) || !strings.Contains(got[1].data, r.Replies[0].Msg) {
		t.Fatalf("events %+v, want the message then the replies", got)
	}
	cancel()
	// A browser reconnecting with Last-Event-ID gets what came after.
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	again := stream(t, ctx2, h, tok, got[0].id)
	select {
	case e := <-again:
		if e.id != got[1].id {
			t.Fatalf("resumed stream starts at %s, want %s", e.id, got[1].id)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("resumed stream sent nothing")
	}
}

type sse struct{ id, data string }

// stream opens the event stream and sends its events on a channel.
func stream(t *testing.T, ctx context.Context, h *harness, tok, lastID string) <-chan sse {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, "GET", h.srv.URL+"/api/chat/events?t="+tok, nil)
	if err != nil {
		t.Fatal(err)
	}
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	out := make(chan sse, 64)
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		var cur sse
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "id: "):
				cur.id = line[4:]
			case strings.HasPrefix(line, "data: "):
				cur.data = line[6:]
			case line == "" && cur.data != "":
				out <- cur
				cur = sse{}
			}
		}
	}()
	return out
}

// TestUploadThroughProofIntake: a photo is sniffed, stored under the
// conversation and handed to the engine; the feed shows its name.
func TestUploadThroughProofIntake(t *testing.T) {
	d := realDesk(t)
	h := newHarness(t, d, nil)
	tok := h.start(t, "en")
	r := h.upload(t, tok, "en", nextID(), "receipt.png", bottest.SampleFile(t, "png"))
	if r.Code != 200 || len(r.Replies) == 0 {
		t.Fatalf("upload: %d %s", r.Code, r.Body)
	}
	if n := countFiles(t, d.Proofs.Dir()); n != 1 {
		t.Fatalf("proof store holds %d files, want 1", n)
	}
	feed := h.feed(t, tok, "")
	if feed[0].From != "me" || feed[0].File != "receipt.png" {
		t.Fatalf("feed starts with %+v, want the uploaded file's name", feed[0])
	}
}

func countFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(dir, func(_ string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			n++
		}
		return nil
	})
	return n
}

// TestPage: the page in the browser's language, small, with its own
// script and style only.
func TestPage(t *testing.T) {
	h := newHarness(t, realDesk(t), nil)
	for _, c := range []struct{ accept, want string }{
		{"en-US,en;q=0.9", "<title>Lost payment slip help</title>"},
		{"zh-CN,zh;q=0.9,en;q=0.8", "<title>付款单丢失求助</title>"},
		{"fr-FR", "<title>付款单丢失求助</title>"},
	} {
		r := h.do(t, "GET", "/", nil, map[string]string{"Accept-Language": c.accept})
		if r.Code != 200 || !strings.Contains(string(r.Body), c.want) {
			t.Errorf("page for %q: %d, want %s", c.accept, r.Code, c.want)
		}
		if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("page CSP %q", csp)
		}
	}
	total := 0
	for _, p := range []string{"/", "/static/chat.js", "/static/chat.css"} {
		r := h.do(t, "GET", p, nil, nil)
		if r.Code != 200 {
			t.Fatalf("%s: %d", p, r.Code)
		}
		total += len(r.Body)
	}
	if total > 100<<10 {
		t.Errorf("page, script and style weigh %d bytes, want under 100 KiB", total)
	}
	if r := h.do(t, "GET", "/static/index.html", nil, nil); r.Code != 404 {
		t.Errorf("the template is served raw: %d", r.Code)
	}
	if r := h.do(t, "GET", "/static/..%2fchat.go", nil, nil); r.Code != 404 {
		t.Errorf("a path out of the static folder: %d", r.Code)
	}
}

// TestSendRoundTrips: a message costs three waits on Redis: its limits
// go in the round trip that loads the conversation, then the commit,
// then the feed. A message a limit refuses costs one and commits
// nothing; on a Cluster, two, the second giving the request back to the
// limit that let it through.
func TestSendRoundTrips(t *testing.T) {
	d := realDesk(t)
	h := newHarness(t, d, func(o *webchat.Options) {
		o.PerConversation = webchat.Limit{N: 2, Period: time.Minute}
	})
	refused := int64(1)
	if _, cluster := d.RDB.(*redis.ClusterClient); cluster {
		refused = 2
	}
	tok := h.start(t, "en")
	for i, want := range []struct {
		code  int
		calls int64
	}{{200, 3}, {200, 3}, {http.StatusTooManyRequests, refused}} {
		before := d.Store.Batcher().Stats().Calls
		r := h.sendJSON(t, tok, "en", map[string]any{"id": nextID(), "text": "hello, I lost my slip"})
		if got := d.Store.Batcher().Stats().Calls - before; r.Code != want.code || got != want.calls {
			t.Fatalf("message %d: %d with %d waits on Redis, want %d with %d", i+1, r.Code, got, want.code, want.calls)
		}
	}
	if n := len(h.feed(t, tok, "")); n == 0 {
		t.Fatal("nothing in the feed")
	}
}
