package telegram

import (
	"context"
	"errors"
	"strconv"
	"sync"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/slipdesk/slipdesk/bot"
)

// handleUpdate runs one update through the engine and sends the replies.
// It returns nil once the update's turns are committed and their replies
// sent (or refused for good by the API); an error means the update must
// come again: polling does not move past it, a webhook answers non-2xx.
func (c *Bot) handleUpdate(ctx context.Context, u *models.Update) error {
	return c.handle(ctx, u.ID, translate(u))
}

// handle runs an update already read by translate.
func (c *Bot) handle(ctx context.Context, id int64, in inbound) error {
	if in.chat == 0 {
		if in.callback != nil {
			c.answerCallback(ctx, in.callback, nil)
		}
		return nil
	}
	defer c.lockChat(in.chat)()
	if in.file != nil {
		a, refusal, err := c.fetch(ctx, KeyOf(in.chat), in.file)
		if err != nil {
			return err
		}
		// A refused file still goes to the engine, which tells the user
		// why in the conversation's language and keeps the caption.
		in.events[0].File, in.events[0].Data = a, refusal
	}
	c.shopLinks(in.events)
	var (
		replies []bot.Reply
		lease   bot.Lease
	)
	if in.say != "" {
		replies = append(replies, c.say(in.lang, in.say))
	}
	for _, ev := range in.events {
		r, err := c.proc.Process(ctx, ev)
		if err != nil {
			if in.callback != nil {
				c.answerCallback(ctx, in.callback, nil)
			}
			return err
		}
		replies = append(replies, r.Replies...)
		if r.Sending.Owner != "" && len(in.events) == 1 && in.say == "" {
			lease = r.Sending
		}
	}
	d := bot.Delivery{Key: KeyOf(in.chat), ID: strconv.FormatInt(id, 10), Mark: "telegram:update:" + strconv.FormatInt(id, 10)}
	if in.callback == nil {
		return c.reply(ctx, in.chat, d, lease, replies)
	}
	// The tap's answer, which stops the button's spinner, goes while the
	// replies do, and the tapped question's buttons come off after them:
	// the replies wait for neither request, nor for a pace slot the
	// edit would take before them.
	var answered sync.WaitGroup
	answered.Go(func() { c.answerCallback(ctx, in.callback, replies) })
	err := c.reply(ctx, in.chat, d, lease, replies)
	c.clearKeyboard(ctx, in.callback)
	answered.Wait()
	return err
}

// reply sends an update's replies, each message at most once whichever
// replica handles the update or its redelivery: the messages are claimed
// (by the turn's commit, or here) and marked one by one in the store
// (bot.SendOnce).
func (c *Bot) reply(ctx context.Context, chat int64, d bot.Delivery, lease bot.Lease, replies []bot.Reply) error {
	msgs := messages(chat, replies)
	once := bot.SendOnce{Marks: c.opts.Sent, TTL: c.opts.SentTTL, Lease: c.opts.SendLease, Channel: Channel, Observer: c.opts.Observer}
	err := once.Send(ctx, d, lease, len(msgs), func(ctx context.Context, i int) error {
		err := c.sendOut(ctx, chat, msgs[i])
		if errors.Is(err, errRefused) {
			// A request the API refuses would be refused again.
			c.log.Info("telegram refused a message", "chat", chat, "err", err)
			return nil
		}
		return err
	})
	if errors.Is(err, bot.ErrUndeliverable) {
		// A user who blocked the bot gets nothing however often it
		// tries; the turn is committed, so the update is done.
		c.log.Info("telegram refused a reply", "chat", chat, "err", err)
		return nil
	}
	return err
}

// answerCallback stops the tapped button's spinner. A tap on a button of
// an older question also shows "this question has moved on" on the spot.
// A query answered before (a redelivered update) is refused by the API,
// which is fine.
func (c *Bot) answerCallback(ctx context.Context, q *models.CallbackQuery, replies []bot.Reply) {
	p := &tgbot.AnswerCallbackQueryParams{CallbackQueryID: q.ID}
	if len(replies) > 0 && replies[0].MsgID == bot.MsgStaleButton {
		p.Text = replies[0].Text
	}
	if _, err := c.api.AnswerCallbackQuery(ctx, p); err != nil {
		c.log.Debug("telegram answerCallbackQuery", "err", redact(err, c.opts.Token))
	}
}

// clearKeyboard takes the buttons off the message whose button was
// tapped: its question is answered, or moved on, and the new question
// comes with its own.
func (c *Bot) clearKeyboard(ctx context.Context, q *models.CallbackQuery) {
	m := q.Message.Message
	if m == nil || m.ReplyMarkup == nil || len(m.ReplyMarkup.InlineKeyboard) == 0 {
		return
	}
	if err := c.pace.wait(ctx, m.Chat.ID); err != nil {
		return
	}
	_, err := c.api.EditMessageReplyMarkup(ctx, &tgbot.EditMessageReplyMarkupParams{
		ChatID:      m.Chat.ID,
		MessageID:   m.ID,
		ReplyMarkup: models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{}},
	})
	if err != nil {
		c.log.Debug("telegram editMessageReplyMarkup", "err", redact(err, c.opts.Token))
	}
}

// say renders a message the channel says itself, in the user's language
// as Telegram knows it.
func (c *Bot) say(lang, id string) bot.Reply {
	if c.opts.Engine == nil {
		return bot.Reply{MsgID: id, Text: id}
	}
	return c.opts.Engine.Content().Catalog.ChannelReply(lang, id, nil)
}

// chatLocks keeps one chat's updates in order within this process: a
// webhook may get two of them at once on two connections.
type chatLocks struct {
	mu    sync.Mutex
	locks map[int64]*chatLock
}

type chatLock struct {
	sync.Mutex
	users int
}

// lockChat waits for the chat's lock and returns its release.
func (c *Bot) lockChat(chat int64) func() {
	l := &c.chats
	l.mu.Lock()
	if l.locks == nil {
		l.locks = map[int64]*chatLock{}
	}
	cl := l.locks[chat]
	if cl == nil {
		cl = &chatLock{}
		l.locks[chat] = cl
	}
	cl.users++
	l.mu.Unlock()
	cl.Lock()
	return func() {
		cl.Unlock()
		l.mu.Lock()
		cl.users--
		if cl.users == 0 {
			delete(l.locks, chat)
		}
		l.mu.Unlock()
	}
}
