package telegram_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/go-telegram/bot/models"

	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/adapters/telegram"
	"github.com/slipdesk/slipdesk/adapters/telegram/telegramtest"
	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/bottest"
)

// state is what a turn may change of a conversation.
func state(t testing.TB, d *redistest.Desk, chat int64) bot.Conversation {
	t.Helper()
	snap, err := d.Store.Load(context.Background(), telegram.KeyOf(chat), "")
	if err != nil {
		t.Fatal(err)
	}
	c := snap.Conv
	c.Version, c.Turns, c.Updated = 0, 0, 0
	return c
}

// TestBadInput sends what the bot cannot take, in both languages: each
// gets a short answer in the user's language saying what it can take,
// and the conversation stays where it was.
func TestBadInput(t *testing.T) {
	for _, lang := range []string{"en", "zh-hans"} {
		t.Run(lang, func(t *testing.T) {
			d := redistest.NewDesk(t, redistest.Real(t), redistest.Options{})
			dr := newDriver(t, d, lang, true)
			dr.Text(t, "hello")
			chat := dr.chat("consumer")
			want := map[string]string{
				"sticker":   bot.MsgUnsupported,
				"voice":     bot.MsgUnsupported,
				"location":  bot.MsgUnsupported,
				"contact":   bot.MsgUnsupported,
				"forwarded": bot.MsgUnsupported,
				"edited":    bot.MsgNotEdited,
			}
			updates := map[string]models.Update{
				"sticker":   telegramtest.StickerUpdate(chat, lang),
				"voice":     telegramtest.VoiceUpdate(chat, lang, 3),
				"location":  telegramtest.LocationUpdate(chat, lang, 31.2, 121.5),
				"contact":   telegramtest.ContactUpdate(chat, lang, "+8613800000000"),
				"forwarded": telegramtest.ForwardedTextUpdate(chat, lang, "receipt for card 4111 1111 1111 1111"),
				"edited":    telegramtest.EditedTextUpdate(chat, lang, 1000001, "changed"),
			}
			for name, u := range updates {
				before := state(t, d, chat)
				replies := dr.send(t, u)
				got := ids(replies)
				if name == "forwarded" {
					// The card number is masked first, and said so.
					if len(got) == 0 || got[0] != bot.MsgMasked {
						t.Errorf("forwarded: replies %v, want %s first", got, bot.MsgMasked)
					}
					replies = replies[1:]
					log, err := d.Store.Transcript(context.Background(), telegram.KeyOf(chat))
					if err != nil {
						t.Fatal(err)
					}
					line := lastUserLine(log)
					if !strings.HasPrefix(line, "[forwarded message] receipt for card") || strings.Contains(line, "4111 1111") {
						t.Errorf("forwarded text kept as %q: want it kept, masked", line)
					}
				}
				if len(replies) == 0 || replies[0].MsgID != want[name] {
					t.Errorf("%s: replies %v, want %s", name, got, want[name])
				}
				if len(replies) > 0 && lang == "en" && strings.ContainsAny(replies[0].Text, "我您") ||
					len(replies) > 0 && lang != "en" && !strings.ContainsAny(replies[0].Text, "我您") {
					t.Errorf("%s: %q is not in the user's language %s", name, replies[0].Text, lang)
				}
				if after := state(t, d, chat); !sameState(before, after) {
					t.Errorf("%s changed the conversation:\n%+v\n%+v", name, before, after)
				}
			}
		})
	}
}

// lastUserLine is the text of the transcript's last line from the user.
func lastUserLine(log []bot.LogLine) string {
	line := ""
	for _, l := range log {
		if l.From == "user" {
			line = l.Text
		}
	}
	return line
}

func sameState(a, b bot.Conversation) bool {
	return a.Step == b.Step && a.Flow == b.Flow && a.Lang == b.Lang && a.Tries == b.Tries &&
		len(a.Slots) == len(b.Slots) && a.Token == b.Token && len(a.Cases) == len(b.Cases)
}

func ids(replies []bot.Reply) []string {
	var out []string
	for _, r := range replies {
		out = append(out, r.MsgID)
	}
	return out
}

// TestGroupChat answers a command in a group with a pointer to a private
// chat, and keeps no conversation for the group.
func TestGroupChat(t *testing.T) {
	rdb := redistest.Real(t)
	d := redistest.NewDesk(t, rdb, redistest.Options{})
	dr := newDriver(t, d, "en", true)
	u := telegramtest.GroupTextUpdate(-100500, 42, "en", "/start")
	u.ID = 9
	if code := postUpdate(t, dr.webhook, u, testSecret); code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	sent := dr.fake.WaitSent(t, -100500, 1, waitFor)
	if !strings.Contains(sent[0].Text, "private") {
		t.Fatalf("group got %q", sent[0].Text)
	}
	for _, k := range redistest.Keys(t, rdb, d.Prefix) {
		if strings.Contains(k, "c:telegram") {
			t.Fatalf("a conversation was kept for the group: %s", k)
		}
	}
}

// TestStaleButton taps a button of a question that has moved on: the
// tap is answered on the spot with "this question has moved on", the old
// message loses its buttons, and nothing else changes.
func TestStaleButton(t *testing.T) {
	d := redistest.NewDesk(t, redistest.Real(t), redistest.Options{})
	dr := newDriver(t, d, "en", false)
	first := dr.Text(t, "hello")
	dr.Text(t, "1") // answers the consent question by its number
	chat := dr.chat("consumer")
	before := state(t, d, chat)
	var value string
	for _, r := range first {
		for _, o := range r.Options {
			value = o.Value
		}
	}
	replies := dr.Button(t, first, value)
	if len(replies) == 0 || replies[0].MsgID != bot.MsgStaleButton {
		t.Fatalf("replies %v, want sys.stale_button first", ids(replies))
	}
	answers := dr.fake.CallbackAnswers()
	if got := answers[len(answers)-1].Params["text"]; got != replies[0].Text {
		t.Fatalf("callback answered with %q, want %q", got, replies[0].Text)
	}
	if len(dr.fake.EditedMarkups()) == 0 {
		t.Fatal("the old message kept its buttons")
	}
	if after := state(t, d, chat); !sameState(before, after) {
		t.Fatalf("a stale button changed the conversation")
	}
}

// TestTapRepliesGoFirst taps a button while the API is slow to answer
// the tap: the replies do not wait for that answer, and the tapped
// question's buttons come off only after the replies went, so the edit
// takes no pace slot before them.
func TestTapRepliesGoFirst(t *testing.T) {
	d := redistest.NewDesk(t, redistest.Real(t), redistest.Options{})
	dr := newDriver(t, d, "en", true)
	chat := dr.chat("consumer")
	first := dr.Text(t, "hello")
	before := len(dr.fake.Sent(chat))
	dr.fake.Slow("answerCallbackQuery", 500*time.Millisecond)
	replies := dr.Button(t, first, "agree")
	if len(replies) == 0 {
		t.Fatal("the tap got no reply")
	}
	sent := dr.fake.Sent(chat)[before:]
	answers := dr.fake.CallbackAnswers()
	edits := dr.fake.EditedMarkups()
	if len(sent) == 0 || len(edits) == 0 {
		t.Fatalf("%d replies and %d edits, want both", len(sent), len(edits))
	}
	if answered := answers[len(answers)-1].At; !sent[0].At.Before(answered) {
		t.Fatalf("the first reply went at %v, after the tap's slow answer at %v", sent[0].At, answered)
	}
	if edited := edits[len(edits)-1].At; edited.Before(sent[len(sent)-1].At) {
		t.Fatalf("the buttons came off at %v, before the last reply at %v", edited, sent[len(sent)-1].At)
	}
}

// TestRateLimited makes the API answer 429 with retry_after 1: the
// message goes again no sooner than asked, and only once.
func TestRateLimited(t *testing.T) {
	d := redistest.NewDesk(t, redistest.Real(t), redistest.Options{})
	dr := newDriver(t, d, "en", true)
	dr.fake.Fail("sendMessage", 1, http.StatusTooManyRequests, 1)
	dr.Text(t, "hello")
	calls := dr.fake.Calls("sendMessage")
	if len(calls) < 2 {
		t.Fatalf("%d sendMessage calls, want the refused one and its retry", len(calls))
	}
	if gap := calls[1].At.Sub(calls[0].At); gap < time.Second {
		t.Fatalf("retried after %v, want at least retry_after (1s)", gap)
	}
	if n := len(dr.fake.Sent(dr.chat("consumer"))); n != len(calls)-1 {
		t.Fatalf("%d messages arrived for %d calls", n, len(calls))
	}
}

// TestAPIDown makes sendMessage fail with 502: the webhook answers 503,
// and when Telegram sends the update again the replies go out once.
func TestAPIDown(t *testing.T) {
	d := redistest.NewDesk(t, redistest.Real(t), redistest.Options{})
	dr := newDriver(t, d, "en", true)
	chat := dr.chat("consumer")
	dr.fake.Fail("sendMessage", 1, http.StatusBadGateway, 0)
	u := telegramtest.TextUpdate(chat, "en", "hello")
	u.ID = 31
	if code := postUpdate(t, dr.webhook, u, testSecret); code != http.StatusServiceUnavailable {
		t.Fatalf("status %d while the API failed, want 503", code)
	}
	if code := postUpdate(t, dr.webhook, u, testSecret); code != http.StatusOK {
		t.Fatalf("status %d on redelivery, want 200", code)
	}
	res, _ := dr.rec.result("31")
	checkWire(t, res.Replies, dr.fake.Sent(chat))
	if code := postUpdate(t, dr.webhook, u, testSecret); code != http.StatusOK || len(dr.fake.Sent(chat)) != len(res.Replies) {
		t.Fatalf("a third delivery sent again")
	}
}

// TestProofFiles sends a photo and a PDF that are kept, and files that
// are refused: too large, of a type not taken.
func TestProofFiles(t *testing.T) {
	d := redistest.NewDesk(t, redistest.Real(t), redistest.Options{})
	dr := newDriver(t, d, "en", true)
	dr.Text(t, "hello")
	chat := dr.chat("consumer")
	replies := dr.File(t, "proof.png", bottest.SampleFile(t, "png"))
	if len(replies) == 0 || !strings.HasPrefix(replies[0].MsgID, "sys.proof.") {
		t.Fatalf("photo: replies %v", ids(replies))
	}
	snap, err := d.Store.Load(context.Background(), telegram.KeyOf(chat), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Conv.Proofs) != 1 {
		t.Fatalf("proofs %+v, want the photo", snap.Conv.Proofs)
	}
	p := snap.Conv.Proofs[0]
	if p.ChannelRef != "file-1" || p.ChannelUniqueRef != "uniq-1" || p.StoreRef == "" || p.Mime != "image/png" {
		t.Fatalf("proof %+v: want the file_id, file_unique_id, a store ref and the sniffed type", p)
	}
	rc, err := d.Proofs.Open(context.Background(), p.StoreRef)
	if err != nil {
		t.Fatalf("stored file: %v", err)
	}
	rc.Close()

	dr.fake.AddFile("big", "big-u", make([]byte, 100))
	big := telegramtest.DocumentUpdate(chat, "en", "big", "big-u", "big.pdf", "application/pdf", 50<<20)
	if r := dr.send(t, big); len(r) == 0 || r[0].MsgID != bot.MsgProofTooLarge || !strings.Contains(r[0].Text, "10 MB") {
		t.Fatalf("too large file answered %v", r)
	}
	if dr.fake.Downloads() != 1 {
		t.Fatalf("%d downloads: a file announced as too large was fetched", dr.fake.Downloads())
	}
	// A file_id the API does not hand over is not a size problem.
	gone := telegramtest.DocumentUpdate(chat, "en", "never-added", "never-u", "slip.pdf", "application/pdf", 2000)
	if r := dr.send(t, gone); len(r) == 0 || r[0].MsgID != bot.MsgProofFetchFailed {
		t.Fatalf("a file getFile refuses answered %v, want %s", ids(r), bot.MsgProofFetchFailed)
	}
	dr.fake.AddFile("zip", "zip-u", []byte("PK\x03\x04 not a proof"))
	zip := telegramtest.DocumentUpdate(chat, "en", "zip", "zip-u", "x.zip", "application/zip", 20)
	zip.Message.Caption = "my card 4111 1111 1111 1111 statement"
	if r := dr.send(t, zip); len(r) < 2 || r[0].MsgID != bot.MsgMasked || r[1].MsgID != bot.MsgProofType {
		t.Fatalf("zip with a card number in its caption answered %v", ids(r))
	}
	log, err := d.Store.Transcript(context.Background(), telegram.KeyOf(chat))
	if err != nil {
		t.Fatal(err)
	}
	if last := lastUserLine(log); !strings.HasPrefix(last, "[file refused]") || !strings.Contains(last, "statement") || strings.Contains(last, "4111 1111") {
		t.Fatalf("transcript keeps %q: want the refused file with its caption, masked", last)
	}
	snap, _ = d.Store.Load(context.Background(), telegram.KeyOf(chat), "")
	if len(snap.Conv.Proofs) != 1 {
		t.Fatalf("refused files were kept: %+v", snap.Conv.Proofs)
	}
}

// TestLongReplySplit sends a reply over Telegram's limit: it arrives as
// several messages within the limit, cut at line breaks, with the
// buttons under the last.
func TestLongReplySplit(t *testing.T) {
	d := redistest.NewDesk(t, redistest.Real(t), redistest.Options{})
	dr := newDriver(t, d, "en", true)
	line := strings.Repeat("付款凭证 proof 😀 ", 20)
	var text []string
	for range 40 {
		text = append(text, line)
	}
	r := bot.Reply{MsgID: "x", Text: strings.Join(text, "\n"), Options: []bot.Option{{Value: "a", Label: "A", Data: "t1:a"}}}
	if err := dr.bot.Send(context.Background(), telegram.KeyOf(55), []bot.Reply{r}); err != nil {
		t.Fatal(err)
	}
	sent := dr.fake.Sent(55)
	if len(sent) < 2 {
		t.Fatalf("%d messages, want the text split", len(sent))
	}
	var joined []string
	for i, s := range sent {
		if n := len(utf16.Encode([]rune(s.Text))); n > 4096 {
			t.Fatalf("part %d has %d UTF-16 units", i, n)
		}
		if (s.Keyboard != nil) != (i == len(sent)-1) {
			t.Fatalf("part %d keyboard %v: want buttons under the last part only", i, s.Keyboard)
		}
		joined = append(joined, s.Text)
	}
	if strings.Join(strings.Fields(strings.Join(joined, "\n")), " ") != strings.Join(strings.Fields(r.Text), " ") {
		t.Fatal("the parts do not make up the text")
	}
}

// TestMerchantDeepLink links a shop's chat with the deep link
// t.me/bot?start=CODE, which Telegram delivers as "/start CODE".
func TestMerchantDeepLink(t *testing.T) {
	d := redistest.NewDesk(t, redistest.Real(t), redistest.Options{})
	dr := newDriver(t, d, "zh-hans", false)
	ctx := context.Background()
	m, err := d.Store.AddMerchant(ctx, bot.Merchant{Name: "星光超市", Lang: "zh-CN"})
	if err != nil {
		t.Fatal(err)
	}
	code, err := d.Store.NewLinkCode(ctx, m.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	dr.As(t, "shop")
	replies := dr.Text(t, "/start "+code)
	if len(replies) == 0 {
		t.Fatal("no answer to the deep link")
	}
	got, err := d.Store.Merchant(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Chats) != 1 || got.Chats[0] != telegram.KeyOf(dr.chat("shop")) {
		t.Fatalf("merchant chats %+v, want the Telegram chat linked (replies %v)", got.Chats, ids(replies))
	}
}

// TestBlockedUser has the API refuse a reply with 403, as for a user who
// blocked the bot: the update is taken (no redelivery loop), and a push
// to that user reports bot.ErrUndeliverable.
func TestBlockedUser(t *testing.T) {
	d := redistest.NewDesk(t, redistest.Real(t), redistest.Options{})
	dr := newDriver(t, d, "en", true)
	dr.fake.Fail("sendMessage", 1, http.StatusForbidden, 0)
	u := telegramtest.TextUpdate(66, "en", "hello")
	u.ID = 3
	if code := postUpdate(t, dr.webhook, u, testSecret); code != http.StatusOK {
		t.Fatalf("status %d, want the update taken", code)
	}
	dr.fake.Fail("sendMessage", 1, http.StatusForbidden, 0)
	err := dr.bot.Send(context.Background(), telegram.KeyOf(66), []bot.Reply{{MsgID: "x", Text: "hi"}})
	if !errors.Is(err, bot.ErrUndeliverable) {
		t.Fatalf("Send = %v, want bot.ErrUndeliverable", err)
	}
	if strings.Contains(err.Error(), testToken) {
		t.Fatal("the token is in the error")
	}
}

// TestPacing sends six replies to one chat with a per-chat interval: they
// go in order, the first three at once, then one per interval; another
// chat is not held up by the first. Its bounds follow from the pacer's
// schedule, not from how fast this machine is: the k-th message past the
// burst cannot go before k intervals after the send began, and the other
// chat's one message, sent once the first chat's burst is out, goes
// before the first chat's last message, three intervals away.
func TestPacing(t *testing.T) {
	d := redistest.NewDesk(t, redistest.Real(t), redistest.Options{})
	fake := telegramtest.New(t, testToken)
	const every, burst = 200 * time.Millisecond, 3
	b, err := telegram.New(telegram.Options{Token: testToken, APIURL: fake.URL, Engine: d.Engine, PerChat: every, PerSecond: -1, ChatBurst: burst})
	if err != nil {
		t.Fatal(err)
	}
	var replies []bot.Reply
	for i := range 6 {
		replies = append(replies, bot.Reply{MsgID: "x", Text: fmt.Sprint("message ", i)})
	}
	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- b.Send(context.Background(), telegram.KeyOf(71), replies) }()
	for len(fake.Sent(71)) < burst {
		select {
		case err := <-done:
			t.Fatalf("the paced send ended early: %v", err)
		case <-time.After(time.Millisecond):
		}
	}
	if err := b.Send(context.Background(), telegram.KeyOf(72), replies[:1]); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	sent := fake.Sent(71)
	if len(sent) != len(replies) {
		t.Fatalf("%d messages, want %d", len(sent), len(replies))
	}
	for i, m := range sent {
		if m.Text != replies[i].Text {
			t.Errorf("message %d is %q, want %q: replies went out of order", i, m.Text, replies[i].Text)
		}
	}
	if otherAt := fake.Sent(72)[0].At; !otherAt.Before(sent[len(sent)-1].At) {
		t.Errorf("the other chat's message waited behind the first chat's paced ones")
	}
	for i := burst; i < len(sent); i++ {
		least := time.Duration(i-burst+1) * every
		if gap := sent[i].At.Sub(start); gap < least {
			t.Errorf("message %d went %v after the send began, want at least %v", i, gap, least)
		}
	}
}
