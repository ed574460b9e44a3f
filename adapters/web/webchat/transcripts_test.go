package webchat_test

import (
	"context"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/adapters/web/webchat"
	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/bottest"
	"github.com/slipdesk/slipdesk/bot/mask"
)

// TestTranscripts plays every conversation of the shipped flows through
// the web chat's API on the real Redis: each reply must come back in the
// answer and reach the conversation's feed, after what the user sent.
func TestTranscripts(t *testing.T) {
	rdb := redistest.Real(t)
	for _, file := range bottest.Files(t, "../../../testdata/transcripts") {
		tr, err := bottest.Parse(file)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			t.Parallel()
			d := redistest.NewDesk(t, rdb, redistest.Options{Flows: "../../../flows", Locales: "../../../locales"})
			bottest.Run(t, tr, newDriver(t, d, tr.LangHint), d.Clock)
		})
	}
}

// TestCaseTranscripts plays the cases of consumer and merchant, each in
// a browser of their own: the shop's alert and the answer pushed by the
// workers arrive in the feeds, proof files are uploaded.
func TestCaseTranscripts(t *testing.T) {
	for _, file := range bottest.Files(t, "../../../testdata/cases") {
		tr, err := bottest.Parse(file)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			redistest.Backends(t, func(t *testing.T, rdb redis.UniversalClient) {
				d := redistest.NewDesk(t, rdb, redistest.Options{Flows: "../../../flows", Locales: "../../../locales"})
				bottest.Run(t, tr, newDriver(t, d, tr.LangHint), d.Clock)
			})
		})
	}
}

// webDriver plays transcripts through the API, one browser per user.
type webDriver struct {
	h      *harness
	lang   string
	user   string
	tokens map[string]string
	names  map[string]string // conversation ID to user
	last   map[string]string // last feed entry seen, per user
	pushes *pushRecorder
	prev   map[string]any // the last request, for Redeliver
}

var _ bottest.PartyDriver = (*webDriver)(nil)

func newDriver(t testing.TB, d *redistest.Desk, lang string) *webDriver {
	h := newHarness(t, d, func(o *webchat.Options) {
		// Transcripts type faster than people.
		o.PerConversation, o.PerIP, o.NewPerIP = webchat.Limit{N: -1}, webchat.Limit{N: -1}, webchat.Limit{N: -1}
	})
	p := &pushRecorder{next: h.chat}
	d.Workers.Senders[webchat.Channel] = p
	return &webDriver{h: h, lang: lang, user: "consumer", tokens: map[string]string{}, names: map[string]string{}, last: map[string]string{}, pushes: p}
}

// token returns the browser of a transcript's user, opening it on first
// use.
func (d *webDriver) token(t testing.TB, user string) string {
	if tok, ok := d.tokens[user]; ok {
		return tok
	}
	tok := d.h.start(t, d.lang)
	d.tokens[user] = tok
	id, _, _ := strings.Cut(tok, ".")
	d.names[id] = user
	return tok
}

func (d *webDriver) key(t testing.TB, user string) bot.Key {
	id, _, _ := strings.Cut(d.token(t, user), ".")
	return webchat.KeyOf(id)
}

// grown returns the entries the user's feed gained since last read.
func (d *webDriver) grown(t testing.TB, user string) []webchat.Entry {
	t.Helper()
	entries := d.h.feed(t, d.token(t, user), d.last[user])
	if len(entries) > 0 {
		d.last[user] = entries[len(entries)-1].ID
	}
	return entries
}

// post sends a message and checks that the feed shows it, then the
// replies, and nothing else.
func (d *webDriver) post(t testing.TB, body map[string]any, me webchat.Entry) []bot.Reply {
	t.Helper()
	tok := d.token(t, d.user)
	d.grown(t, d.user)
	r := d.h.sendJSON(t, tok, d.lang, body)
	if r.Code != http.StatusOK {
		t.Fatalf("send %v: %d %s", body, r.Code, r.Body)
	}
	d.prev = body
	got := replies(r.Replies)
	if slices.ContainsFunc(got, func(r bot.Reply) bool { return r.MsgID == bot.MsgDeleted }) {
		// A deleted conversation keeps nothing the user said: its
		// whole feed is the replies of the deleting turn.
		if all := replies(d.h.feed(t, tok, "")); !sameReplies(all, got) || len(d.h.feed(t, tok, "")) != len(got) {
			t.Fatalf("after deletion the feed holds %v, want only %v", bottest.IDs(all), bottest.IDs(got))
		}
		d.grown(t, d.user)
		return got
	}
	checkFeed(t, d.grown(t, d.user), me, got)
	return got
}

// checkFeed compares what a feed gained with what the user sent and the
// replies they got.
func checkFeed(t testing.TB, entries []webchat.Entry, me webchat.Entry, want []bot.Reply) {
	t.Helper()
	if len(entries) == 0 || entries[0].From != "me" || entries[0].Text != me.Text || entries[0].File != me.File {
		t.Fatalf("feed gained %+v, want first what the user sent, %+v", entries, me)
	}
	if got := replies(entries[1:]); !sameReplies(got, want) {
		t.Fatalf("feed gained replies\n  %v\nwant\n  %v", bottest.IDs(got), bottest.IDs(want))
	}
}

func sameReplies(a, b []bot.Reply) bool {
	return slices.EqualFunc(a, b, func(x, y bot.Reply) bool {
		return x.MsgID == y.MsgID && x.Text == y.Text && slices.Equal(x.Options, y.Options)
	})
}

// Text implements bottest.Driver.
func (d *webDriver) Text(t testing.TB, text string) []bot.Reply {
	t.Helper()
	want := text
	if masked, ok := mask.Sensitive(text); ok {
		want = masked
	}
	return d.post(t, map[string]any{"id": nextID(), "text": text}, webchat.Entry{Text: want})
}

// Button implements bottest.Driver: the tap sends the button's data and
// its label, as the page does.
func (d *webDriver) Button(t testing.TB, last []bot.Reply, value string) []bot.Reply {
	t.Helper()
	data, label := bottest.ButtonData(t, last, value), value
	for _, r := range last {
		for _, o := range r.Options {
			if o.Value == value {
				label = o.Label
			}
		}
	}
	return d.post(t, map[string]any{"id": nextID(), "button": data, "label": label}, webchat.Entry{Text: label})
}

// Redeliver implements bottest.Driver: the page's retry of its last
// request, with the same message ID, gets the same replies and adds
// nothing to the feed.
func (d *webDriver) Redeliver(t testing.TB) []bot.Reply {
	t.Helper()
	tok := d.token(t, d.user)
	d.grown(t, d.user)
	r := d.h.sendJSON(t, tok, d.lang, d.prev)
	if r.Code != http.StatusOK {
		t.Fatalf("retry: %d %s", r.Code, r.Body)
	}
	if extra := d.grown(t, d.user); len(extra) > 0 {
		t.Fatalf("a retried message added %d entries to the feed: %+v", len(extra), extra)
	}
	return replies(r.Replies)
}

// Signal implements bottest.Driver: outside events reach the engine as
// the workers hand them over, and their replies reach the feed through
// the channel's sender.
func (d *webDriver) Signal(t testing.TB, name, value string) []bot.Reply {
	return d.direct(t, bot.Event{Kind: bot.EventSignal, Name: name, Data: value})
}

// Tick implements bottest.Driver.
func (d *webDriver) Tick(t testing.TB) []bot.Reply {
	return d.direct(t, bot.Event{Kind: bot.EventTick})
}

func (d *webDriver) direct(t testing.TB, ev bot.Event) []bot.Reply {
	t.Helper()
	ev.Key = d.key(t, d.user)
	ev.DeliveryID = "direct-" + nextID()
	d.grown(t, d.user)
	res, err := d.h.desk.Engine.Process(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.h.chat.Send(context.Background(), ev.Key, res.Replies); err != nil {
		t.Fatal(err)
	}
	if got := replies(d.grown(t, d.user)); !sameReplies(got, res.Replies) {
		t.Fatalf("feed gained %v, want %v", bottest.IDs(got), bottest.IDs(res.Replies))
	}
	return res.Replies
}

// As implements bottest.PartyDriver.
func (d *webDriver) As(_ testing.TB, user string) { d.user = user }

// Work implements bottest.PartyDriver: what the workers pushed must be
// in each user's feed, live.
func (d *webDriver) Work(t testing.TB) []bottest.Pushed {
	t.Helper()
	for user := range d.tokens {
		d.grown(t, user)
	}
	d.h.desk.Drain(t)
	var pushed []bottest.Pushed
	byUser := map[string][]bot.Reply{}
	for _, p := range d.pushes.take() {
		user := d.names[p.key.User]
		byUser[user] = append(byUser[user], p.replies...)
		for _, r := range p.replies {
			pushed = append(pushed, bottest.Pushed{To: user, Reply: r})
		}
	}
	for user, want := range byUser {
		if got := replies(d.grown(t, user)); !sameReplies(got, want) {
			t.Fatalf("%s's feed gained %v, want what was pushed, %v", user, bottest.IDs(got), bottest.IDs(want))
		}
	}
	return pushed
}

// Merchant implements bottest.PartyDriver.
func (d *webDriver) Merchant(t testing.TB, m bot.Merchant, chats ...string) {
	t.Helper()
	keys := make([]bot.Key, len(chats))
	for i, chat := range chats {
		keys[i] = d.key(t, chat)
	}
	redistest.AddMerchant(t, d.h.desk, m, keys...)
}

// File implements bottest.PartyDriver: the file is uploaded as the page
// uploads it.
func (d *webDriver) File(t testing.TB, name string, content []byte) []bot.Reply {
	t.Helper()
	tok := d.token(t, d.user)
	d.grown(t, d.user)
	r := d.h.upload(t, tok, d.lang, nextID(), name, content)
	if r.Code != http.StatusOK {
		t.Fatalf("upload %s: %d %s", name, r.Code, r.Body)
	}
	got := replies(r.Replies)
	checkFeed(t, d.grown(t, d.user), webchat.Entry{File: name}, got)
	return got
}

// pushRecorder keeps what the workers push through the chat's sender.
type pushRecorder struct {
	next bot.Sender
	mu   sync.Mutex
	sent []pushedTo
}

type pushedTo struct {
	key     bot.Key
	replies []bot.Reply
}

func (p *pushRecorder) Send(ctx context.Context, to bot.Key, replies []bot.Reply) error {
	if err := p.next.Send(ctx, to, replies); err != nil {
		return err
	}
	p.mu.Lock()
	p.sent = append(p.sent, pushedTo{to, replies})
	p.mu.Unlock()
	return nil
}

func (p *pushRecorder) take() []pushedTo {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.sent
	p.sent = nil
	return s
}
