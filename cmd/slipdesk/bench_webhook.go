package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/slipdesk/slipdesk/adapters/telegram"
	"github.com/slipdesk/slipdesk/adapters/telegram/telegramsink"
	"github.com/slipdesk/slipdesk/adapters/web/loadclient"
)

const (
	benchToken  = "424242:bench-token"
	benchSecret = "bench-webhook-secret-0123"
)

// newWebhookWalker serves the Telegram webhook on a loopback port, its
// replies going to a Bot API in the process (telegramsink) with
// Telegram's pace off, and returns a walker that posts a journey's updates to it as
// Telegram would, one after another for each chat.
func newWebhookWalker(ctx context.Context, d *desk, lang string, users int) (func(context.Context, int, *benchUser) error, func(), error) {
	fake, err := telegramsink.Start(benchToken)
	if err != nil {
		return nil, nil, err
	}
	tg, err := telegram.New(telegram.Options{
		Token: benchToken, APIURL: fake.URL, Engine: d.engine, Sent: d.store,
		PerChat: -1, PerSecond: -1, Observer: d.metrics, Metrics: d.metrics,
	})
	if err != nil {
		fake.Close()
		return nil, nil, err
	}
	h, err := tg.Webhook(benchSecret)
	if err != nil {
		fake.Close()
		return nil, nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fake.Close()
		return nil, nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	// A client per user, light as a load generator should be: it shares
	// the two cores with the server and Redis (adapters/web/loadclient).
	clients := make([]*loadclient.Client, users)
	for i := range clients {
		clients[i] = loadclient.New("http://" + ln.Addr().String())
	}
	stop := func() {
		for _, c := range clients {
			c.Close()
		}
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
		fake.Close()
	}
	var (
		walks  atomic.Int64
		update atomic.Int64
	)
	langCode := map[string]string{"zh-CN": "zh-hans", "en": "en"}[lang]
	walk := func(ctx context.Context, user int, u *benchUser) error {
		chat := 1_000_000 + walks.Add(1)
		for _, text := range journeys[lang] {
			body, _ := json.Marshal(map[string]any{
				"update_id": update.Add(1),
				"message": map[string]any{
					"message_id": 1, "date": time.Now().Unix(), "text": text,
					"chat": map[string]any{"id": chat, "type": "private"},
					"from": map[string]any{"id": chat, "first_name": "U", "language_code": langCode},
				},
			})
			t0 := u.begin(ctx)
			if err := ctx.Err(); err != nil {
				return err
			}
			status, _, err := clients[user].Post("/", body, telegram.SecretHeader, benchSecret)
			if err != nil {
				return err
			}
			if status != http.StatusOK {
				return fmt.Errorf("webhook answered %d", status)
			}
			u.took(t0)
		}
		return nil
	}
	return walk, stop, nil
}
