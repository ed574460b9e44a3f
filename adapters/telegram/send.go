package telegram

import (
	"context"
	"errors"
	"fmt"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/slipdesk/slipdesk/bot"
)

// maxMessageLen is the Bot API's limit on a message's text, in UTF-16
// code units.
const maxMessageLen = 4096

// max429Retries is how often one message is tried again after a 429
// before the send fails and the work is left for a later try.
const max429Retries = 5

// errRefused marks a request the API refused for good: the chat is gone
// or the request is wrong. Trying again changes nothing. A user who
// blocked the bot is bot.ErrUndeliverable.
var errRefused = bot.Errorf(bot.EINVALID, "telegram refused the request")

// Sender returns the bot.Sender the workers push replies through:
// merchant alerts, answers relayed to consumers, reminders.
// The Bot is also a bot.ButtonCloser: alert buttons stay on screen in a
// chat until taken off.
func (c *Bot) Sender() bot.Sender { return c }

// Send sends replies to the chat of a conversation key.
func (c *Bot) Send(ctx context.Context, to bot.Key, replies []bot.Reply) error {
	chat, err := chatOf(to)
	if err != nil {
		return err
	}
	return c.send(ctx, chat, replies)
}

// send sends each reply as one message, or several when its text is over
// the API's limit.
func (c *Bot) send(ctx context.Context, chat int64, replies []bot.Reply) error {
	for _, o := range messages(chat, replies) {
		if err := c.sendOut(ctx, chat, o); err != nil {
			return err
		}
	}
	return nil
}

// outgoing is one message to send: a text message, or a reply that
// carries a file (see sendFile).
type outgoing struct {
	msg  *tgbot.SendMessageParams
	file *bot.Reply
	// alert is the case whose alert buttons msg carries, if any.
	alert string
}

// messages renders replies as the messages that carry them: a text over
// the API's limit is split, and a reply's choices go as an inline
// keyboard under its last part.
func messages(chat int64, replies []bot.Reply) []outgoing {
	out := make([]outgoing, 0, len(replies))
	for _, r := range replies {
		if r.File != nil {
			out = append(out, outgoing{file: &r})
			continue
		}
		text, markup := render(r)
		parts := splitText(text, maxMessageLen)
		for i, part := range parts {
			p := &tgbot.SendMessageParams{
				ChatID:             chat,
				Text:               part,
				LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()},
			}
			o := outgoing{msg: p}
			if i == len(parts)-1 && markup != nil {
				p.ReplyMarkup = markup
				o.alert = r.Alert
			}
			out = append(out, o)
		}
	}
	return out
}

// sendOut sends one outgoing message. A file that cannot go (see
// sendFile) goes as its caption alone, which names it.
func (c *Bot) sendOut(ctx context.Context, chat int64, o outgoing) error {
	if o.file == nil {
		sent, err := c.sendMessage(ctx, chat, o.msg)
		if err == nil && o.alert != "" {
			c.rememberAlertButtons(ctx, chat, o.alert, sent)
		}
		return err
	}
	if sent, err := c.sendFile(ctx, chat, *o.file); sent || err != nil {
		return err
	}
	r := *o.file
	r.File = nil
	for _, m := range messages(chat, []bot.Reply{r}) {
		if _, err := c.sendMessage(ctx, chat, m.msg); err != nil {
			return err
		}
	}
	return nil
}

// sentMessage is what the channel reads of a message the API sent: the
// whole Message, which the API echoes back with its chat, sender and
// keyboard, would be decoded for its ID alone.
type sentMessage struct {
	ID int `json:"message_id"`
}

// sendMessage sends one message within the pace Telegram allows,
// waiting out a 429's retry_after and trying again. It returns the
// message as sent.
func (c *Bot) sendMessage(ctx context.Context, chat int64, p *tgbot.SendMessageParams) (*sentMessage, error) {
	for attempt := 0; ; attempt++ {
		if err := c.pace.wait(ctx, chat); err != nil {
			return nil, err
		}
		sent := &sentMessage{}
		err := c.postJSON(ctx, "sendMessage", p, sent)
		var tooMany *tgbot.TooManyRequestsError
		if errors.As(err, &tooMany) && attempt < max429Retries {
			wait := time.Duration(tooMany.RetryAfter) * time.Second
			if wait <= 0 {
				wait = time.Second
			}
			c.log.Warn("telegram asks to slow down", "chat", chat, "retry_after", wait)
			c.pace.pause(chat, wait)
			continue
		}
		return sent, apiError("sendMessage", err, c.opts.Token)
	}
}

// apiError sorts a Bot API error: nil stays nil; a request the API
// refused matches errRefused, or bot.ErrUndeliverable for a user who
// blocked the bot; a 429 stays a *TooManyRequestsError; the
// rest (no connection, a 5xx, a timeout) matches errAPIUnavailable, worth
// another try later. The token never appears in the text.
func apiError(method string, err error, token string) error {
	var tooMany *tgbot.TooManyRequestsError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.Canceled):
		return err
	case errors.As(err, &tooMany):
		return fmt.Errorf("telegram %s: %w: %w", method, errAPIUnavailable, redact(err, token))
	case errors.Is(err, tgbot.ErrorForbidden):
		// The user blocked the bot, or never started it.
		return fmt.Errorf("telegram %s: %w: %w", method, bot.ErrUndeliverable, redact(err, token))
	case errors.Is(err, tgbot.ErrorBadRequest), errors.Is(err, tgbot.ErrorNotFound), errors.Is(err, tgbot.ErrorUnauthorized):
		return fmt.Errorf("telegram %s: %w: %w", method, errRefused, redact(err, token))
	default:
		return fmt.Errorf("telegram %s: %w: %w", method, errAPIUnavailable, redact(err, token))
	}
}
