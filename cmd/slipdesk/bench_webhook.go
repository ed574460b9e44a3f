package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/slipdesk/slipdesk/adapters/telegram"
	"github.com/slipdesk/slipdesk/adapters/telegram/telegramsink"
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
	stop := func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
		fake.Close()
	}
	url := "http://" + ln.Addr().String() + "/"
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: users, MaxIdleConns: users}}
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
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
			if err != nil {
				return err
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set(telegram.SecretHeader, benchSecret)
			t0 := u.begin(ctx)
			resp, err := client.Do(req)
			if err != nil {
				return err
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("webhook answered %d", resp.StatusCode)
			}
			u.took(t0)
		}
		return nil
	}
	return walk, stop, nil
}
