package telegram_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/redis/go-redis/v9"

	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/adapters/telegram"
	"github.com/slipdesk/slipdesk/adapters/telegram/telegramtest"
	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/bottest"
)

// replica is one more serve process on the same Redis and Bot API: its
// own engine, its own channel (so its own chat locks), the same store.
type replica struct {
	rec     *recorder
	webhook http.Handler
}

func newReplicas(t testing.TB, d *redistest.Desk, fake *telegramtest.Server, n int) []replica {
	t.Helper()
	out := make([]replica, n)
	content, reg := bottest.Content(t, "../../flows", "../../locales")
	for i := range out {
		e := bot.NewEngine(d.Store, content, reg, bot.Config{Now: d.Clock.Now, Archive: d.Store, Merchants: d.Store, CaseIndex: d.Store})
		rec := &recorder{Processor: e, results: map[string]bot.Result{}}
		b, err := telegram.New(telegram.Options{
			Token: testToken, APIURL: fake.URL, Engine: e, Processor: rec,
			Sent: d.Store, PerChat: -1, PerSecond: -1,
		})
		if err != nil {
			t.Fatal(err)
		}
		h, err := b.Webhook(testSecret)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = replica{rec: rec, webhook: h}
	}
	return out
}

// repliesOf returns the replies of the turn some replica's engine
// committed for the update: the others answered from its record, with
// nothing once all was sent.
func repliesOf(rs []replica, id int64) []bot.Reply {
	for _, r := range rs {
		if res, ok := r.rec.result(fmt.Sprint(id)); ok && res.Fresh {
			return res.Replies
		}
	}
	return nil
}

// checkOnce checks that the chat got exactly the texts of replies, in
// order, each once.
func checkOnce(t *testing.T, fake *telegramtest.Server, chat int64, from int, replies []bot.Reply) {
	t.Helper()
	sent := fake.Sent(chat)[from:]
	if len(sent) != len(replies) {
		t.Fatalf("chat %d: %d messages for %d replies", chat, len(sent), len(replies))
	}
	for i, r := range replies {
		if sent[i].Text != r.Text {
			t.Fatalf("chat %d message %d: %q, want %q", chat, i, sent[i].Text, r.Text)
		}
	}
}

// TestSameUpdateThreeReplicas posts every update of several chats to
// three replicas at once, while the API takes its time: each reply
// reaches the user once.
func TestSameUpdateThreeReplicas(t *testing.T) {
	redistest.Backends(t, func(t *testing.T, rdb redis.UniversalClient) {
		d := redistest.NewDesk(t, rdb, redistest.Options{})
		fake := telegramtest.New(t, testToken)
		fake.Slow("sendMessage", 5*time.Millisecond)
		rs := newReplicas(t, d, fake, 3)
		texts := []string{"/start", "hello, I lost my slip", "/help", "/human"}
		const chats = 8
		var id int64 = 1000
		for _, text := range texts {
			before := map[int64]int{}
			ids := map[int64]int64{}
			var wg sync.WaitGroup
			for c := range int64(chats) {
				chat := 7000 + c
				before[chat] = len(fake.Sent(chat))
				u := telegramtest.TextUpdate(chat, "en", text)
				id++
				u.ID, ids[chat] = id, id
				for _, r := range rs {
					wg.Go(func() {
						if code := postUpdate(t, r.webhook, u, testSecret); code != http.StatusOK {
							t.Errorf("update %d: status %d", u.ID, code)
						}
					})
				}
			}
			wg.Wait()
			for chat, uid := range ids {
				replies := repliesOf(rs, uid)
				if len(replies) == 0 {
					t.Fatalf("update %d (%q): no replies recorded", uid, text)
				}
				checkOnce(t, fake, chat, before[chat], replies)
			}
		}
	})
}

// TestHangUpThenRetryElsewhere plays Telegram giving up on a webhook
// call after 30 ms while the API is slow, and sending the update again
// to another replica until it gets 200: the replies go out once.
func TestHangUpThenRetryElsewhere(t *testing.T) {
	rdb := redistest.Real(t)
	d := redistest.NewDesk(t, rdb, redistest.Options{})
	fake := telegramtest.New(t, testToken)
	rs := newReplicas(t, d, fake, 2)
	first := httptest.NewServer(rs[0].webhook)
	second := httptest.NewServer(rs[1].webhook)
	defer second.Close()
	impatient := &http.Client{Timeout: 30 * time.Millisecond}
	const chat = 8100
	for i, text := range []string{"/start", "hello", "/human"} {
		fake.Slow("sendMessage", 150*time.Millisecond)
		before := len(fake.Sent(chat))
		u := telegramtest.TextUpdate(chat, "en", text)
		u.ID = int64(2000 + i)
		if resp, err := post(impatient, first.URL, u); err == nil {
			resp.Body.Close()
			t.Fatalf("update %d: the first try was answered %d before the API finished", u.ID, resp.StatusCode)
		}
		codes := map[int]int{}
		for deadline := time.Now().Add(waitFor); ; {
			resp, err := post(http.DefaultClient, second.URL, u)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			codes[resp.StatusCode]++
			if resp.StatusCode == http.StatusOK {
				break
			}
			if resp.StatusCode != http.StatusServiceUnavailable || time.Now().After(deadline) {
				t.Fatalf("update %d: retry answered %d", u.ID, resp.StatusCode)
			}
		}
		fake.Slow("sendMessage", 0)
		waitIdle(t, fake, chat)
		checkOnce(t, fake, chat, before, repliesOf(rs, u.ID))
		t.Logf("update %d: retries answered %v", u.ID, codes)
	}
	first.Close()
}

// waitIdle waits until no message has reached the chat for a while: the
// first replica may still be sending.
func waitIdle(t *testing.T, fake *telegramtest.Server, chat int64) {
	t.Helper()
	n, still := -1, 0
	for deadline := time.Now().Add(waitFor); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if m := len(fake.Sent(chat)); m == n {
			if still++; still == 6 {
				return
			}
		} else {
			n, still = m, 0
		}
	}
	t.Fatalf("chat %d: messages kept coming", chat)
}

func post(c *http.Client, url string, u models.Update) (*http.Response, error) {
	body, err := json.Marshal(u)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(telegram.SecretHeader, testSecret)
	return c.Do(req)
}
