package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/slipdesk/slipdesk/bot"
)

// allowedUpdates are the updates the bot asks for, by polling and by
// webhook alike.
var allowedUpdates = []string{"message", "edited_message", "callback_query"}

// maxFailures is how often an update that fails for a reason no wait
// cures (not an unreachable store or API) is tried before it is given
// up, so that one bad update cannot stop a bot.
const maxFailures = 5

// maxPollPause is the longest pause between failing polls.
const maxPollPause = 5 * time.Second

// Poll takes updates by long polling until ctx is done. It moves the
// offset, which tells Telegram an update is taken, past an update only
// once the update is handled: a crash or an unreachable store means the
// update comes again. One chat's updates are handled in order, different
// chats' at once. A wrong token ends Poll with an error.
func (c *Bot) Poll(ctx context.Context) error {
	var (
		offset   int64
		pause    time.Duration
		failures = map[int64]int{}
	)
	for ctx.Err() == nil {
		if pause > 0 {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(pause):
			}
		}
		updates, err := c.getUpdates(ctx, offset)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if errors.Is(err, tgbot.ErrorUnauthorized) {
				return err
			}
			if errors.Is(err, tgbot.ErrorConflict) {
				// Telegram serves one poller per bot, and none while a
				// webhook is set.
				c.log.Warn("another process polls this bot, or a webhook is set: only one process may poll", "err", err)
			} else {
				c.log.Warn("telegram getUpdates failed", "err", err)
			}
			pause = nextPause(pause)
			continue
		}
		if len(updates) == 0 {
			pause = 0
			continue
		}
		failed := c.handleBatch(ctx, updates)
		if ctx.Err() != nil {
			return nil
		}
		next := updates[len(updates)-1].ID + 1
		pause = 0
		for _, u := range updates {
			err, ok := failed[u.ID]
			if !ok {
				delete(failures, u.ID)
				continue
			}
			if !isTransient(err) {
				failures[u.ID]++
				if failures[u.ID] >= maxFailures {
					c.log.Error("telegram update given up after repeated failures", "update", u.ID, "err", err)
					delete(failures, u.ID)
					continue
				}
			}
			c.log.Warn("telegram update not taken; trying again", "update", u.ID, "err", err)
			next = u.ID
			pause = nextPause(pause)
			break
		}
		offset = next
	}
	return nil
}

func nextPause(p time.Duration) time.Duration {
	if p == 0 {
		return 100 * time.Millisecond
	}
	return min(2*p, maxPollPause)
}

// handleBatch handles updates, one chat's in order, chats in parallel,
// and returns the error of each update that was not taken. After a
// chat's update fails, its later updates wait for the next try, so that
// they are never handled before it.
func (c *Bot) handleBatch(ctx context.Context, updates []*models.Update) map[int64]error {
	type read struct {
		id int64
		in inbound
	}
	var (
		order  []int64
		byChat = map[int64][]read{}
	)
	for _, u := range updates {
		in := translate(u)
		if _, ok := byChat[in.chat]; !ok {
			order = append(order, in.chat)
		}
		byChat[in.chat] = append(byChat[in.chat], read{u.ID, in})
	}
	var (
		mu     sync.Mutex
		failed = map[int64]error{}
		wg     sync.WaitGroup
		slots  = make(chan struct{}, c.opts.Parallel)
	)
	for _, chat := range order {
		wg.Add(1)
		slots <- struct{}{}
		go func(list []read) {
			defer func() { <-slots; wg.Done() }()
			for i, u := range list {
				if err := c.handle(ctx, u.id, u.in); err != nil {
					mu.Lock()
					failed[u.id] = err
					for _, later := range list[i+1:] {
						failed[later.id] = errSkipped
					}
					mu.Unlock()
					return
				}
			}
		}(byChat[chat])
	}
	wg.Wait()
	return failed
}

// errSkipped marks an update left for the next try because an earlier
// update of its chat failed.
var errSkipped = bot.Errorf(bot.EUNAVAIL, "an earlier update of the chat failed")

// getUpdates asks for the updates from offset on, waiting up to the poll
// timeout for some. The library's own poller is not used: it tells
// Telegram an update is taken as soon as it has read it, before it is
// handled, so a crash would lose it.
func (c *Bot) getUpdates(ctx context.Context, offset int64) ([]*models.Update, error) {
	body, err := json.Marshal(map[string]any{
		"offset":          offset,
		"limit":           100,
		"timeout":         int(c.opts.PollTimeout / time.Second),
		"allowed_updates": allowedUpdates,
	})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.opts.APIURL+"/bot"+c.opts.Token+"/getUpdates", bytes.NewReader(body))
	if err != nil {
		return nil, redact(err, c.opts.Token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("telegram getUpdates: %w: %w", errAPIUnavailable, redact(err, c.opts.Token))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("telegram getUpdates: %w: %w", errAPIUnavailable, err)
	}
	var env struct {
		OK          bool             `json:"ok"`
		Result      []*models.Update `json:"result"`
		ErrorCode   int              `json:"error_code"`
		Description string           `json:"description"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return nil, fmt.Errorf("telegram getUpdates: %w: status %d, body not JSON", errAPIUnavailable, resp.StatusCode)
	}
	if !env.OK {
		switch env.ErrorCode {
		case http.StatusUnauthorized:
			return nil, fmt.Errorf("telegram getUpdates: %w: %s", tgbot.ErrorUnauthorized, env.Description)
		case http.StatusConflict:
			return nil, fmt.Errorf("telegram getUpdates: %w: %s", tgbot.ErrorConflict, env.Description)
		}
		return nil, fmt.Errorf("telegram getUpdates: %w: %d %s", errAPIUnavailable, env.ErrorCode, env.Description)
	}
	return env.Result, nil
}

// SetWebhook tells Telegram to post updates to url with secret.
func (c *Bot) SetWebhook(ctx context.Context, url, secret string) error {
	_, err := c.api.SetWebhook(ctx, &tgbot.SetWebhookParams{
		URL:            url,
		SecretToken:    secret,
		AllowedUpdates: allowedUpdates,
	})
	return apiError("setWebhook", err, c.opts.Token)
}

// DeleteWebhook stops webhook delivery, which polling needs. Updates
// waiting for delivery are kept.
func (c *Bot) DeleteWebhook(ctx context.Context) error {
	_, err := c.api.DeleteWebhook(ctx, &tgbot.DeleteWebhookParams{DropPendingUpdates: false})
	return apiError("deleteWebhook", err, c.opts.Token)
}

// isTransient reports failures a later try may cure: an unreachable store
// or API, a 429.
func isTransient(err error) bool {
	return bot.ErrorCode(err) == bot.EUNAVAIL || errors.Is(err, context.DeadlineExceeded)
}
