package telegram

import (
	"strconv"

	"github.com/go-telegram/bot/models"

	"github.com/slipdesk/slipdesk/bot"
)

// inbound is what one update asks of the channel.
type inbound struct {
	// chat is the chat the answer goes to; 0 for an update nobody needs
	// to hear about (a member change, a poll answer).
	chat int64
	// lang is the user's language_code.
	lang string
	// events go to the engine in order.
	events []bot.Event
	// file is a photo or document to fetch before the events run; its
	// event is events[0].
	file *fileRef
	// say is a message the channel answers itself without the engine
	// (a group chat); empty when none.
	say string
	// callback is the button tap to answer, when the update is one.
	callback *models.CallbackQuery
}

// fileRef is a photo or document as the update announces it.
type fileRef struct {
	id, unique, name string
	size             int64
}

// translate reads an update. It does no I/O: files are fetched later.
func translate(u *models.Update) inbound {
	delivery := strconv.FormatInt(u.ID, 10)
	switch {
	case u.Message != nil:
		return fromMessage(u.Message, delivery)
	case u.EditedMessage != nil:
		m := u.EditedMessage
		if m.From == nil || m.From.IsBot {
			return inbound{}
		}
		in := inbound{chat: m.Chat.ID, lang: m.From.LanguageCode}
		if m.Chat.Type != models.ChatTypePrivate {
			// An edit in a group is not worth a word in that group.
			return inbound{}
		}
		ev := in.event(delivery, bot.EventUnsupported, bot.UnsupportedEdit)
		ev.Text = textOf(m)
		in.events = []bot.Event{ev}
		return in
	case u.CallbackQuery != nil:
		return fromCallback(u.CallbackQuery, delivery)
	}
	return inbound{}
}

func (in inbound) event(delivery string, kind bot.EventKind, data string) bot.Event {
	return bot.Event{
		Key:        KeyOf(in.chat),
		Kind:       kind,
		DeliveryID: delivery,
		Data:       data,
		LangHint:   in.lang,
	}
}

func fromMessage(m *models.Message, delivery string) inbound {
	if m.From == nil || m.From.IsBot {
		// Channel posts and other bots' messages.
		return inbound{}
	}
	in := inbound{chat: m.Chat.ID, lang: m.From.LanguageCode}
	if m.Chat.Type != models.ChatTypePrivate {
		if !addressed(m) {
			return inbound{}
		}
		in.say = bot.MsgPrivateOnly
		return in
	}
	if m.ForwardOrigin != nil {
		ev := in.event(delivery, bot.EventUnsupported, "forwarded message")
		ev.Text = textOf(m)
		in.events = []bot.Event{ev}
		return in
	}
	if f := fileOf(m); f != nil {
		in.file = f
		ev := in.event(delivery, bot.EventFile, "")
		ev.Text = m.Caption
		in.events = []bot.Event{ev}
		return in
	}
	if m.Text != "" {
		ev := in.event(delivery, bot.EventText, "")
		ev.Text = m.Text
		in.events = []bot.Event{ev}
		return in
	}
	if kind := unsupportedKind(m); kind != "" {
		in.events = []bot.Event{in.event(delivery, bot.EventUnsupported, kind)}
		return in
	}
	if isService(m) {
		// A pinned message or a timer change asks nothing.
		return inbound{}
	}
	// Content of a kind newer than this code reads like an empty
	// message: the user is asked to send it again, in words.
	ev := in.event(delivery, bot.EventText, "")
	in.events = []bot.Event{ev}
	return in
}

// isService reports a message the chat itself made: a pin, a timer
// change, a permission granted, members coming or going.
func isService(m *models.Message) bool {
	return m.PinnedMessage != nil || m.MessageAutoDeleteTimerChanged != nil ||
		m.WriteAccessAllowed != nil || len(m.NewChatMembers) > 0 || m.LeftChatMember != nil ||
		m.NewChatTitle != "" || len(m.NewChatPhoto) > 0 || m.DeleteChatPhoto ||
		m.GroupChatCreated || m.SupergroupChatCreated || m.ChannelChatCreated ||
		m.MigrateToChatID != 0 || m.MigrateFromChatID != 0 || m.SuccessfulPayment != nil ||
		m.RefundedPayment != nil || m.UsersShared != nil || m.ChatShared != nil ||
		m.ConnectedWebsite != "" || m.ProximityAlertTriggered != nil || m.BoostAdded != nil ||
		m.ChatBackgroundSet != nil || m.Gift != nil || m.UniqueGift != nil
}

// textOf returns a message's text, or its caption.
func textOf(m *models.Message) string {
	if m.Text != "" {
		return m.Text
	}
	return m.Caption
}

// addressed reports a group message meant for the bot: a command. With
// privacy mode on, those and replies to the bot are all a bot sees.
func addressed(m *models.Message) bool {
	return len(m.Text) > 0 && m.Text[0] == '/' || m.ReplyToMessage != nil
}

// fileOf returns the photo or document of a message: of a photo, the
// largest size Telegram made.
func fileOf(m *models.Message) *fileRef {
	if m.Document != nil {
		d := m.Document
		return &fileRef{id: d.FileID, unique: d.FileUniqueID, name: d.FileName, size: d.FileSize}
	}
	if len(m.Photo) == 0 {
		return nil
	}
	best := m.Photo[0]
	for _, p := range m.Photo[1:] {
		if p.FileSize > best.FileSize || p.Width*p.Height > best.Width*best.Height {
			best = p
		}
	}
	return &fileRef{id: best.FileID, unique: best.FileUniqueID, name: "photo.jpg", size: int64(best.FileSize)}
}

// unsupportedKind names the content of a message the bot cannot read.
func unsupportedKind(m *models.Message) string {
	switch {
	case m.Sticker != nil:
		return "sticker"
	case m.Voice != nil:
		return "voice note"
	case m.Audio != nil:
		return "audio"
	case m.Video != nil, m.VideoNote != nil, m.Animation != nil:
		return "video"
	case m.Location != nil, m.Venue != nil:
		return "location"
	case m.Contact != nil:
		return "contact"
	case m.Poll != nil, m.Dice != nil, m.Game != nil:
		return "game or poll"
	case m.Story != nil, m.PaidMedia != nil, m.Checklist != nil, m.Invoice != nil:
		return "message"
	}
	return ""
}

func fromCallback(q *models.CallbackQuery, delivery string) inbound {
	in := inbound{chat: q.From.ID, lang: q.From.LanguageCode, callback: q}
	if m := q.Message.Message; m != nil {
		in.chat = m.Chat.ID
		if m.Chat.Type != models.ChatTypePrivate {
			in.say = bot.MsgPrivateOnly
			return in
		}
	} else if im := q.Message.InaccessibleMessage; im != nil {
		in.chat = im.Chat.ID
	}
	ev := in.event(delivery, bot.EventButton, q.Data)
	in.events = []bot.Event{ev}
	return in
}
