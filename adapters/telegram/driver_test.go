package telegram_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/adapters/telegram"
	"github.com/slipdesk/slipdesk/adapters/telegram/telegramtest"
	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/bottest"
)

const (
	testToken  = "123456:test-token-secret"
	testSecret = "webhook-secret-0123456789"
	waitFor    = 10 * time.Second
)

// recorder sits between the channel and the engine and keeps each
// delivery's result, so that a test knows which message IDs the texts
// that reached the fake came from.
type recorder struct {
	telegram.Processor
	mu      sync.Mutex
	results map[string]bot.Result
}

func (r *recorder) Process(ctx context.Context, ev bot.Event) (bot.Result, error) {
	res, err := r.Processor.Process(ctx, ev)
	if err == nil {
		r.mu.Lock()
		// The first answer is what the user got: a redelivery of a
		// delivery sent in full is answered with nothing left to send.
		if _, ok := r.results[ev.DeliveryID]; !ok {
			r.results[ev.DeliveryID] = res
		}
		r.mu.Unlock()
	}
	return res, err
}

func (r *recorder) result(delivery string) (bot.Result, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	res, ok := r.results[delivery]
	return res, ok
}

// pushRecorder keeps what the workers push through the channel's sender.
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

// CloseAlertButtons passes the workers' closing of alert buttons on to
// the channel.
func (p *pushRecorder) CloseAlertButtons(ctx context.Context, chat bot.Key, no string) error {
	return p.next.(bot.ButtonCloser).CloseAlertButtons(ctx, chat, no)
}

func (p *pushRecorder) take() []pushedTo {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.sent
	p.sent = nil
	return s
}

// tgDriver plays transcripts through the Telegram channel against the
// fake Bot API: by long polling, or by posting to the webhook handler.
// Every reply the engine gives must reach the fake as a message with the
// same text and the same buttons; the transcript then checks the replies
// as it does on every channel.
type tgDriver struct {
	desk    *redistest.Desk
	fake    *telegramtest.Server
	bot     *telegram.Bot
	rec     *recorder
	pushes  *pushRecorder
	webhook http.Handler
	lang    string

	chats  map[string]int64
	names  map[int64]string
	user   string
	last   models.Update
	files  int
	seq    int64
	cancel context.CancelFunc
	done   chan error
}

var _ bottest.PartyDriver = (*tgDriver)(nil)

// newDriver starts a channel over desk, polling unless webhook is set.
func newDriver(t testing.TB, d *redistest.Desk, langHint string, webhook bool) *tgDriver {
	t.Helper()
	fake := telegramtest.New(t, testToken)
	rec := &recorder{Processor: d.Engine, results: map[string]bot.Result{}}
	b, err := telegram.New(telegram.Options{
		Token: testToken, APIURL: fake.URL, Engine: d.Engine, Processor: rec,
		Proofs: d.Proofs, Sent: d.Store, AlertButtons: d.Store, PerChat: -1, PerSecond: -1, PollTimeout: 2 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	pushes := &pushRecorder{next: b.Sender()}
	d.Workers.Senders[telegram.Channel] = pushes
	dr := &tgDriver{
		desk: d, fake: fake, bot: b, rec: rec, pushes: pushes, lang: langHint,
		chats: map[string]int64{}, names: map[int64]string{}, user: "consumer",
	}
	h, err := b.Webhook(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	dr.webhook = h
	if !webhook {
		ctx, cancel := context.WithCancel(context.Background())
		dr.cancel, dr.done = cancel, make(chan error, 1)
		go func() { dr.done <- b.Poll(ctx) }()
		t.Cleanup(dr.stop)
	}
	return dr
}

func (d *tgDriver) polling() bool { return d.cancel != nil }

func (d *tgDriver) stop() {
	if d.cancel != nil {
		d.cancel()
		<-d.done
		d.cancel = nil
	}
}

// chat returns the Telegram chat of a transcript's user.
func (d *tgDriver) chat(user string) int64 {
	if id, ok := d.chats[user]; ok {
		return id
	}
	id := int64(7000 + len(d.chats))
	d.chats[user], d.names[id] = id, user
	return id
}

// deliver hands u to the channel, with a new update_id, and waits until
// it is taken; it returns u as delivered.
func (d *tgDriver) deliver(t testing.TB, u models.Update) models.Update {
	t.Helper()
	if d.polling() {
		u.ID = 0
		u.ID = d.fake.Push(u)
		waitConfirmed(t, d.fake, u.ID)
		return u
	}
	d.seq++
	u.ID = d.seq
	if code := postUpdate(t, d.webhook, u, testSecret); code != http.StatusOK {
		t.Fatalf("webhook answered %d to update %d", code, u.ID)
	}
	return u
}

// waitConfirmed waits until the poller has told the fake that update id
// is taken: the offset only moves past an update once it is handled.
func waitConfirmed(t testing.TB, fake *telegramtest.Server, id int64) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for time.Now().Before(deadline) {
		if offs := fake.Offsets(); len(offs) > 0 && slices.Max(offs) > id {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("update %d was not confirmed; offsets %v", id, fake.Offsets())
}

// postUpdate posts u to a webhook handler and returns the status.
func postUpdate(t testing.TB, h http.Handler, u models.Update, secret string) int {
	t.Helper()
	body, err := json.Marshal(u)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/telegram/webhook", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set(telegram.SecretHeader, secret)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w.Code
}

// send delivers an update of the current user and returns the engine's
// replies, after checking that exactly they reached the chat.
func (d *tgDriver) send(t testing.TB, u models.Update) []bot.Reply {
	t.Helper()
	chat := d.chat(d.user)
	before := len(d.fake.Sent(chat))
	u = d.deliver(t, u)
	d.last = u
	res, ok := d.rec.result(fmt.Sprint(u.ID))
	replies, fresh := res.Replies, res.Fresh && ok
	sent := d.fake.Sent(chat)[before:]
	if fresh {
		checkWire(t, replies, sent)
	}
	return replies
}

// checkWire compares replies with the messages that reached the fake:
// the same texts, in order, and each reply's options as its buttons.
func checkWire(t testing.TB, replies []bot.Reply, sent []telegramtest.Sent) {
	t.Helper()
	var want, got []string
	for _, r := range replies {
		if r.File != nil {
			want = append(want, "[file "+r.File.Name+"]")
		}
		want = append(want, r.Text)
		for _, o := range r.Options {
			want = append(want, "["+o.Label+"|"+o.Data+"]")
		}
	}
	for _, s := range sent {
		if s.File != "" {
			got = append(got, "[file "+s.File+"]")
		}
		got = append(got, s.Text)
		for _, row := range s.Keyboard {
			for _, b := range row {
				got = append(got, "["+b.Text+"|"+b.CallbackData+"]")
			}
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("Telegram got\n  %q\nwant\n  %q", got, want)
	}
}

func (d *tgDriver) from() models.User {
	id := d.chat(d.user)
	return models.User{ID: id, FirstName: d.user, LanguageCode: d.lang}
}

// Text implements bottest.Driver.
func (d *tgDriver) Text(t testing.TB, text string) []bot.Reply {
	t.Helper()
	return d.send(t, telegramtest.TextUpdate(d.chat(d.user), d.lang, text))
}

// Button implements bottest.Driver: it taps the button the bot sent, on
// the message that carries it; data no message carries is tapped as on
// a message the app no longer has.
func (d *tgDriver) Button(t testing.TB, last []bot.Reply, value string) []bot.Reply {
	t.Helper()
	data := bottest.ButtonData(t, last, value)
	chat := d.chat(d.user)
	q := &models.CallbackQuery{ID: fmt.Sprintf("cb-%d-%d", chat, time.Now().UnixNano()), From: d.from(), Data: data}
	sent := d.fake.Sent(chat)
	found := false
	for i := len(sent) - 1; i >= 0 && !found; i-- {
		for _, row := range sent[i].Keyboard {
			if slices.ContainsFunc(row, func(b models.InlineKeyboardButton) bool { return b.CallbackData == data }) {
				m, _ := d.fake.Message(chat, sent[i].MessageID)
				q.Message = models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage, Message: &m}
				found = true
				break
			}
		}
	}
	if !found {
		q.Message = models.MaybeInaccessibleMessage{
			Type:                models.MaybeInaccessibleMessageTypeInaccessibleMessage,
			InaccessibleMessage: &models.InaccessibleMessage{Chat: models.Chat{ID: chat, Type: models.ChatTypePrivate}},
		}
	}
	answered := len(d.fake.CallbackAnswers())
	replies := d.send(t, models.Update{CallbackQuery: q})
	if got := len(d.fake.CallbackAnswers()); got != answered+1 {
		t.Fatalf("callback query answered %d times, want once", got-answered)
	}
	return replies
}

// Redeliver implements bottest.Driver: the last update comes again with
// its update_id. It must change nothing and send nothing; the replies
// returned are the engine's record of it. The fake, like Telegram, never
// hands out an update the poller confirmed, so with polling the update
// comes again by the webhook path, as after a switch of mode.
func (d *tgDriver) Redeliver(t testing.TB) []bot.Reply {
	t.Helper()
	chat := d.chat(d.user)
	before := len(d.fake.Sent(chat))
	if code := postUpdate(t, d.webhook, d.last, testSecret); code != http.StatusOK {
		t.Fatalf("webhook answered %d to a redelivery", code)
	}
	if sent := d.fake.Sent(chat)[before:]; len(sent) > 0 {
		t.Fatalf("a redelivered update sent %d messages again: %+v", len(sent), sent)
	}
	res, _ := d.rec.result(fmt.Sprint(d.last.ID))
	return res.Replies
}

// Signal implements bottest.Driver: outside events reach the engine as
// the workers hand them over, and their replies go out through the
// channel's sender.
func (d *tgDriver) Signal(t testing.TB, name, value string) []bot.Reply {
	return d.direct(t, bot.Event{Kind: bot.EventSignal, Name: name, Data: value})
}

// Tick implements bottest.Driver.
func (d *tgDriver) Tick(t testing.TB) []bot.Reply {
	return d.direct(t, bot.Event{Kind: bot.EventTick})
}

func (d *tgDriver) direct(t testing.TB, ev bot.Event) []bot.Reply {
	t.Helper()
	chat := d.chat(d.user)
	ev.Key = telegram.KeyOf(chat)
	ev.DeliveryID = fmt.Sprintf("direct-%d", time.Now().UnixNano())
	res, err := d.desk.Engine.Process(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	before := len(d.fake.Sent(chat))
	if err := d.bot.Send(context.Background(), ev.Key, res.Replies); err != nil {
		t.Fatal(err)
	}
	checkWire(t, res.Replies, d.fake.Sent(chat)[before:])
	return res.Replies
}

// As implements bottest.PartyDriver.
func (d *tgDriver) As(_ testing.TB, user string) { d.user = user }

// Work implements bottest.PartyDriver: the workers push through the
// channel's sender, and what they pushed must have reached each chat.
func (d *tgDriver) Work(t testing.TB) []bottest.Pushed {
	t.Helper()
	before := map[int64]int{}
	for _, id := range d.chats {
		before[id] = len(d.fake.Sent(id))
	}
	d.desk.Drain(t)
	var pushed []bottest.Pushed
	byChat := map[int64][]bot.Reply{}
	for _, p := range d.pushes.take() {
		var id int64
		fmt.Sscan(p.key.User, &id)
		byChat[id] = append(byChat[id], p.replies...)
		for _, r := range p.replies {
			pushed = append(pushed, bottest.Pushed{To: d.names[id], Reply: r})
		}
	}
	for id, replies := range byChat {
		checkWire(t, replies, d.fake.Sent(id)[before[id]:])
	}
	return pushed
}

// Merchant implements bottest.PartyDriver.
func (d *tgDriver) Merchant(t testing.TB, m bot.Merchant, chats ...string) {
	t.Helper()
	keys := make([]bot.Key, len(chats))
	for i, chat := range chats {
		keys[i] = telegram.KeyOf(d.chat(chat))
	}
	redistest.AddMerchant(t, d.desk, m, keys...)
}

// File implements bottest.PartyDriver: the file is sent as a photo, or
// as a document when it is a PDF, and fetched from the fake.
func (d *tgDriver) File(t testing.TB, name string, content []byte) []bot.Reply {
	t.Helper()
	d.files++
	id, unique := fmt.Sprintf("file-%d", d.files), fmt.Sprintf("uniq-%d", d.files)
	d.fake.AddFile(id, unique, content)
	chat := d.chat(d.user)
	var u models.Update
	if strings.HasSuffix(name, ".pdf") {
		u = telegramtest.DocumentUpdate(chat, d.lang, id, unique, name, "application/pdf", len(content))
	} else {
		u = telegramtest.PhotoUpdate(chat, d.lang, id, unique, len(content))
	}
	return d.send(t, u)
}
