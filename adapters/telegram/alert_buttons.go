package telegram

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/slipdesk/slipdesk/bot"
)

var _ bot.ButtonCloser = (*Bot)(nil)

// defaultAlertButtonsTTL is how long the message carrying an alert's
// buttons is remembered when Options.AlertButtonsTTL is 0.
const defaultAlertButtonsTTL = 30 * 24 * time.Hour

// rememberAlertButtons records that sent carries the buttons of case
// no's alert in chat. A record that fails costs only the buttons staying
// on screen, where a tap is answered as stale: the send stands.
func (c *Bot) rememberAlertButtons(ctx context.Context, chat int64, no string, sent *sentMessage) {
	if c.opts.AlertButtons == nil || sent == nil {
		return
	}
	ttl := c.opts.AlertButtonsTTL
	if ttl <= 0 {
		ttl = defaultAlertButtonsTTL
	}
	ref := strconv.FormatInt(chat, 10) + ":" + strconv.Itoa(sent.ID)
	if err := c.opts.AlertButtons.RememberAlertButtons(ctx, KeyOf(chat), no, ref, ttl); err != nil {
		c.log.Warn("telegram could not record an alert's buttons", "chat", chat, "err", err)
	}
}

// CloseAlertButtons implements bot.ButtonCloser: it takes the keyboard
// off every message recorded as carrying case no's alert in chat, then
// drops the record. Telegram refusing the edit (400 "message is not
// modified" for a keyboard already gone, a message deleted, a chat that
// blocked the bot) counts as done: asking again would be refused again.
func (c *Bot) CloseAlertButtons(ctx context.Context, to bot.Key, no string) error {
	if c.opts.AlertButtons == nil {
		return nil
	}
	refs, err := c.opts.AlertButtons.AlertButtonRefs(ctx, to, no)
	if err != nil || len(refs) == 0 {
		return err
	}
	for _, ref := range refs {
		chat, msg, ok := parseMessageRef(ref)
		if !ok {
			continue
		}
		if err := c.removeKeyboard(ctx, chat, msg); err != nil {
			return err
		}
	}
	return c.opts.AlertButtons.ForgetAlertButtons(ctx, to, no)
}

// removeKeyboard edits message msg of chat to carry no buttons.
func (c *Bot) removeKeyboard(ctx context.Context, chat int64, msg int) error {
	if err := c.pace.wait(ctx, chat); err != nil {
		return err
	}
	_, err := c.api.EditMessageReplyMarkup(ctx, &tgbot.EditMessageReplyMarkupParams{
		ChatID:      chat,
		MessageID:   msg,
		ReplyMarkup: models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{}},
	})
	err = apiError("editMessageReplyMarkup", err, c.opts.Token)
	if errors.Is(err, errRefused) || errors.Is(err, bot.ErrUndeliverable) {
		c.log.Debug("telegram kept an alert's buttons as they are", "chat", chat, "err", err)
		return nil
	}
	return err
}

// parseMessageRef reads a "chat:message" reference.
func parseMessageRef(ref string) (int64, int, bool) {
	a, b, ok := strings.Cut(ref, ":")
	chat, err1 := strconv.ParseInt(a, 10, 64)
	msg, err2 := strconv.Atoi(b)
	return chat, msg, ok && err1 == nil && err2 == nil
}
