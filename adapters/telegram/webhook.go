package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/slipdesk/slipdesk/bot"
)

// SecretHeader is the header Telegram sends the webhook's secret token in.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// MaxUpdateSize is the largest webhook body read. An update is a few
// kilobytes; anything near this is not from Telegram.
const MaxUpdateSize = 1 << 20

// webhookTimeout bounds one update's handling, fetching a file and
// waiting out the API's pace included; Telegram gives up on a webhook
// call after about a minute and sends the update again.
const webhookTimeout = 55 * time.Second

// retryAfter is what a webhook asks Telegram to wait while the store
// or the API cannot serve.
const retryAfter = 5

// Webhook returns the handler of the updates Telegram posts to the
// webhook's URL. Only a request carrying secret (compared in constant
// time) is read; a body over MaxUpdateSize is refused unread. The answer
// is 200 only once the update's turn is committed and its replies sent;
// otherwise it is 503 with Retry-After, and Telegram sends the update
// again, which the engine recognises by its update_id.
func (c *Bot) Webhook(secret string) (http.Handler, error) {
	if len(secret) == 0 {
		return nil, bot.Errorf(bot.EINVALID, "telegram webhook: a secret token is required")
	}
	return &webhook{c: c, secret: []byte(secret)}, nil
}

type webhook struct {
	c      *Bot
	secret []byte
}

func (h *webhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		h.c.opts.Metrics.WebhookRefused("method")
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if subtle.ConstantTimeCompare([]byte(r.Header.Get(SecretHeader)), h.secret) != 1 {
		h.c.opts.Metrics.WebhookRefused("secret")
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	if r.ContentLength > MaxUpdateSize {
		h.c.opts.Metrics.WebhookRefused("too_large")
		http.Error(w, "update too large", http.StatusRequestEntityTooLarge)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxUpdateSize))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			h.c.opts.Metrics.WebhookRefused("too_large")
			http.Error(w, "update too large", http.StatusRequestEntityTooLarge)
			return
		}
		h.c.opts.Metrics.WebhookRefused("bad_update")
		http.Error(w, "could not read the update", http.StatusBadRequest)
		return
	}
	var u models.Update
	if err := json.Unmarshal(body, &u); err != nil || u.ID <= 0 {
		h.c.opts.Metrics.WebhookRefused("bad_update")
		http.Error(w, "not an update", http.StatusBadRequest)
		return
	}
	// The turn runs to its end even if Telegram hangs up: a commit is
	// not abandoned half way, and the redelivery finds it done.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), webhookTimeout)
	defer cancel()
	if err := h.c.handleUpdate(ctx, &u); err != nil {
		h.c.log.Warn("telegram update not taken; Telegram will send it again", "update", u.ID, "err", err)
		h.c.opts.Metrics.WebhookRefused("unavailable")
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
		http.Error(w, "try again later", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}
