package telegram_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	redisstore "github.com/slipdesk/slipdesk/adapters/redis"
	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/adapters/telegram"
	"github.com/slipdesk/slipdesk/adapters/telegram/telegramtest"
	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/bot/bottest"
)

// TestWebhookRefusesStrangers checks the requests that must be refused
// before anything is read or written: no secret, a wrong one, a body over
// the limit (announced or not), a body that is no update.
func TestWebhookRefusesStrangers(t *testing.T) {
	rdb := redistest.Real(t)
	d := redistest.NewDesk(t, rdb, redistest.Options{})
	dr := newDriver(t, d, "en", true)
	update := `{"update_id":1,"message":{"message_id":5,"date":1,"chat":{"id":42,"type":"private"},"from":{"id":42,"first_name":"A"},"text":"hello"}}`
	huge := `{"update_id":2,"message":{"message_id":5,"date":1,"chat":{"id":42,"type":"private"},"from":{"id":42,"first_name":"A"},"text":"` + strings.Repeat("a", telegram.MaxUpdateSize) + `"}}`
	cases := []struct {
		name    string
		secret  string
		body    io.Reader
		chunked bool
		want    int
	}{
		{"no secret", "", strings.NewReader(update), false, http.StatusUnauthorized},
		{"wrong secret", "webhook-secret-0123456788", strings.NewReader(update), false, http.StatusUnauthorized},
		{"secret with a suffix", testSecret + "x", strings.NewReader(update), false, http.StatusUnauthorized},
		{"too large", testSecret, strings.NewReader(huge), false, http.StatusRequestEntityTooLarge},
		{"too large, length not announced", testSecret, strings.NewReader(huge), true, http.StatusRequestEntityTooLarge},
		{"not JSON", testSecret, strings.NewReader(`{"update_id":`), false, http.StatusBadRequest},
		{"JSON but no update", testSecret, strings.NewReader(`{"hello":"world"}`), false, http.StatusBadRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/telegram/webhook", tc.body)
			if tc.chunked {
				req.ContentLength = -1
			}
			if tc.secret != "" {
				req.Header.Set(telegram.SecretHeader, tc.secret)
			}
			w := httptest.NewRecorder()
			dr.webhook.ServeHTTP(w, req)
			if w.Code != tc.want {
				t.Fatalf("status %d, want %d", w.Code, tc.want)
			}
			if keys := redistest.Keys(t, rdb, d.Prefix); len(keys) > 0 {
				t.Fatalf("a refused request wrote %v", keys)
			}
			if n := len(dr.fake.Calls("sendMessage")); n > 0 {
				t.Fatalf("a refused request sent %d messages", n)
			}
		})
	}
	t.Run("GET", func(t *testing.T) {
		w := httptest.NewRecorder()
		dr.webhook.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/telegram/webhook", nil))
		if w.Code != http.StatusMethodNotAllowed {
			t.Fatalf("status %d, want 405", w.Code)
		}
	})
	if _, err := dr.bot.Webhook(""); err == nil {
		t.Fatal("a webhook without a secret was made")
	}
}

// TestWebhookStoreDown posts an update while Redis cannot be reached: the
// answer is 503 with Retry-After, so Telegram sends it again, and nothing
// was sent to the user.
func TestWebhookStoreDown(t *testing.T) {
	dead := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	t.Cleanup(func() { dead.Close() })
	content, reg := bottest.Content(t, "../../flows", "../../locales")
	store := redisstore.New(dead, "down:")
	e := bot.NewEngine(store, content, reg, bot.Config{})
	fake := telegramtest.New(t, testToken)
	b, err := telegram.New(telegram.Options{Token: testToken, APIURL: fake.URL, Engine: e, Sent: store, PerChat: -1, PerSecond: -1})
	if err != nil {
		t.Fatal(err)
	}
	h, err := b.Webhook(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	u := telegramtest.TextUpdate(42, "en", "hello")
	u.ID = 77
	body := marshal(t, u)
	req := httptest.NewRequest(http.MethodPost, "/telegram/webhook", bytes.NewReader(body))
	req.Header.Set(telegram.SecretHeader, testSecret)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
		t.Fatalf("status %d, Retry-After %q; want 503 with Retry-After", w.Code, w.Header().Get("Retry-After"))
	}
	if n := len(fake.Calls("sendMessage")); n > 0 {
		t.Fatalf("sent %d messages while the store was down", n)
	}
}

// TestRedeliveredUpdate delivers one update_id five times, one after
// another and all at once: one turn, one reply, one effect.
func TestRedeliveredUpdate(t *testing.T) {
	for _, concurrent := range []bool{false, true} {
		name := "sequential"
		if concurrent {
			name = "concurrent"
		}
		t.Run(name, func(t *testing.T) {
			redistest.Backends(t, func(t *testing.T, rdb redis.UniversalClient) {
				d := redistest.NewDesk(t, rdb, redistest.Options{})
				dr := newDriver(t, d, "en", true)
				dr.Text(t, "/start")
				chat := dr.chat("consumer")
				u := telegramtest.TextUpdate(chat, "en", "/human")
				u.ID = 500
				before := len(dr.fake.Sent(chat))
				var wg sync.WaitGroup
				for range 5 {
					post := func() {
						if code := postUpdate(t, dr.webhook, u, testSecret); code != http.StatusOK {
							t.Errorf("status %d", code)
						}
					}
					if concurrent {
						wg.Go(post)
					} else {
						post()
					}
				}
				wg.Wait()
				res, _ := dr.rec.result("500")
				if len(res.Replies) == 0 {
					t.Fatal("no replies recorded")
				}
				if sent := dr.fake.Sent(chat)[before:]; len(sent) != len(res.Replies) {
					t.Fatalf("%d messages sent for %d replies", len(sent), len(res.Replies))
				}
				d.Drain(t)
				events, err := d.Store.OpsEvents(context.Background(), 10)
				if err != nil {
					t.Fatal(err)
				}
				if len(events) != 1 || events[0].Kind != bot.EffectHandover {
					t.Fatalf("ops events %+v, want one handover", events)
				}
			})
		})
	}
}
