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

// settlePause is the wait, after an update is handled while others are
// still being handled, before a poll that brought nothing new asks again.
const settlePause = 20 * time.Millisecond

// emptyPollPause is the pause after a poll that brought nothing: a long
// poll that timed out, or an API (a proxy) that answers at once.
const emptyPollPause = 250 * time.Millisecond

// Poll takes updates by long polling until ctx is done. The offset, which
// tells Telegram an update is taken, is a watermark: it moves past an
// update only once it and every update before it are handled (committed
// and answered), so a crash or an unreachable store means the update
// comes again. One chat's updates are handled in order, different chats'
// independently: a chat that waits for its pace, or a failing update,
// holds only its own chat. A wrong token ends Poll with an error.
func (c *Bot) Poll(ctx context.Context) error {
	p := newPoller(c)
	defer p.wg.Wait()
	var (
		pause time.Duration
		fails = bot.Backoff{Max: maxPollPause}
	)
	for ctx.Err() == nil {
		if bot.Sleep(ctx, pause) != nil {
			return nil
		}
		changed := p.changedCh()
		updates, err := c.getUpdates(ctx, p.offset())
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
			pause = fails.Fail()
			continue
		}
		pause = 0
		fails.Reset()
		switch {
		case len(updates) == 0:
			pause = emptyPollPause
		case p.dispatch(ctx, updates) == 0:
			// All of them are being handled: ask again once one is
			// done, not in a busy loop, and after a moment in which
			// others finish too, so that one poll confirms them all.
			select {
			case <-ctx.Done():
			case <-changed:
				if p.busy() {
					pause = settlePause
				}
			case <-time.After(maxPollPause):
			}
		}
	}
	return nil
}

// poller holds the updates read but not yet handled, each chat's in a
// queue of its own.
type poller struct {
	c     *Bot
	slots chan struct{}
	wg    sync.WaitGroup

	mu sync.Mutex
	// pending are the updates read and not handled yet.
	pending map[int64]bool
	// next is one past the highest update read: an update below it
	// was read before, and is pending or handled.
	next    int64
	queues  map[int64][]read
	changed chan struct{}
}

type read struct {
	id int64
	in inbound
}

func newPoller(c *Bot) *poller {
	return &poller{
		c: c, slots: make(chan struct{}, c.opts.Parallel),
		pending: map[int64]bool{},
		queues:  map[int64][]read{}, changed: make(chan struct{}),
	}
}

// offset is the lowest update not handled yet, or past the last read.
func (p *poller) offset() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	off := p.next
	for id := range p.pending {
		off = min(off, id)
	}
	return off
}

// busy reports whether updates are still being handled.
func (p *poller) busy() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.pending) > 0
}

// changedCh is closed when an update is handled or given up.
func (p *poller) changedCh() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.changed
}

// dispatch queues the updates not read before behind their chat's and
// returns how many there were.
func (p *poller) dispatch(ctx context.Context, updates []*models.Update) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, u := range updates {
		if u.ID < p.next {
			continue
		}
		n++
		p.pending[u.ID] = true
		p.next = max(p.next, u.ID+1)
		in := translate(u)
		q := p.queues[in.chat]
		p.queues[in.chat] = append(q, read{u.ID, in})
		if len(q) == 0 {
			p.wg.Add(1)
			go p.serveChat(ctx, in.chat)
		}
	}
	return n
}

// serveChat handles a chat's queue in order until it is empty. An update
// that fails is tried again after a pause, holding back only the chat's
// later updates; one that fails for a reason no wait cures is given up
// after maxFailures tries, so that it cannot stop the chat for good.
func (p *poller) serveChat(ctx context.Context, chat int64) {
	defer p.wg.Done()
	var (
		pause    = bot.Backoff{Max: maxPollPause}
		failures int
	)
	for {
		p.mu.Lock()
		q := p.queues[chat]
		if len(q) == 0 {
			delete(p.queues, chat)
			p.mu.Unlock()
			return
		}
		head := q[0]
		p.mu.Unlock()

		select {
		case <-ctx.Done():
			return
		case p.slots <- struct{}{}:
		}
		err := p.c.handle(ctx, head.id, head.in)
		<-p.slots
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			if !isTransient(err) {
				failures++
			}
			if failures < maxFailures {
				p.c.log.Warn("telegram update not taken; trying again", "update", head.id, "err", err)
				p.signal()
				if pause.Wait(ctx) != nil {
					return
				}
				continue
			}
			p.c.log.Error("telegram update given up after repeated failures", "update", head.id, "err", err)
		}
		pause.Reset()
		failures = 0
		p.mu.Lock()
		rest := p.queues[chat][1:]
		delete(p.pending, head.id)
		// The chat's entry goes with its last update, under the lock
		// dispatch takes: an update arriving now finds no queue and
		// starts a server of its own, never a second one beside this.
		done := len(rest) == 0
		if done {
			delete(p.queues, chat)
		} else {
			p.queues[chat] = rest
		}
		p.mu.Unlock()
		p.signal()
		if done {
			return
		}
	}
}

// signal wakes a poll loop that waits for a change.
func (p *poller) signal() {
	p.mu.Lock()
	defer p.mu.Unlock()
	close(p.changed)
	p.changed = make(chan struct{})
}

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
