package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

// Limits Telegram enforces on what a bot sends.
const (
	maxTextUnits    = 4096 // UTF-16 code units of a message text
	maxCallbackData = 64   // bytes of a button's callback_data
)

// Sent is a message the bot sent with sendMessage, as it was sent.
type Sent struct {
	ChatID    int64
	MessageID int
	Text      string
	// Keyboard is the inline keyboard of reply_markup; nil when the
	// message had none (or had a reply keyboard).
	Keyboard [][]models.InlineKeyboardButton
	// File is the file name of a photo or document uploaded with
	// sendPhoto or sendDocument (Text is then its caption), or "".
	File string
	At   time.Time
}

// Edit is a successful editMessageReplyMarkup of a message in a chat.
type Edit struct {
	ChatID    int64
	MessageID int
	// Keyboard is the new inline keyboard; nil removes the keyboard.
	Keyboard [][]models.InlineKeyboardButton
	At       time.Time
}

// chat holds the bot's messages in one chat.
type chat struct {
	// messages is the current state of each message; message i has ID i+1.
	messages []models.Message
	sent     []Sent
}

// Sent returns the messages the bot sent to chatID, oldest first.
func (s *Server) Sent(chatID int64) []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sentLocked(chatID)
}

func (s *Server) sentLocked(chatID int64) []Sent {
	c := s.chats[chatID]
	if c == nil {
		return nil
	}
	out := slices.Clone(c.sent)
	for i := range out {
		out[i].Keyboard = cloneKeyboard(out[i].Keyboard)
	}
	return out
}

// WaitSent waits until the bot has sent n messages to chatID and returns
// them all; it fails the test, showing the messages it has, if they do not
// arrive within timeout. Call it from the test's goroutine.
func (s *Server) WaitSent(t testing.TB, chatID int64, n int, timeout time.Duration) []Sent {
	t.Helper()
	sent, ok := wait(s, timeout, func() ([]Sent, bool) {
		sent := s.sentLocked(chatID)
		return sent, len(sent) >= n
	})
	if !ok {
		var b strings.Builder
		for _, m := range sent {
			fmt.Fprintf(&b, "\n\t#%d %q", m.MessageID, m.Text)
			for _, row := range m.Keyboard {
				for _, k := range row {
					fmt.Fprintf(&b, " [%s|%s]", k.Text, k.CallbackData)
				}
			}
		}
		t.Fatalf("telegramtest: chat %d: %d messages after %v, want %d:%s", chatID, len(sent), timeout, n, b.String())
	}
	return sent
}

// Message returns the current state of the bot's message messageID in
// chatID, edits included.
func (s *Server) Message(chatID int64, messageID int) (models.Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.messageLocked(chatID, messageID)
	if m == nil {
		return models.Message{}, false
	}
	return cloneMessage(*m), true
}

func (s *Server) messageLocked(chatID int64, messageID int) *models.Message {
	c := s.chats[chatID]
	if c == nil || messageID < 1 || messageID > len(c.messages) {
		return nil
	}
	return &c.messages[messageID-1]
}

// EditedMarkups returns the successful editMessageReplyMarkup calls on
// chat messages, oldest first.
func (s *Server) EditedMarkups() []Edit {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(s.edits)
	for i := range out {
		out[i].Keyboard = cloneKeyboard(out[i].Keyboard)
	}
	return out
}

// CallbackAnswers returns the successful answerCallbackQuery calls, oldest
// first; Params holds callback_query_id, text and show_alert as sent.
func (s *Server) CallbackAnswers() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(s.answers)
	for i := range out {
		out[i].Params = maps.Clone(out[i].Params)
	}
	return out
}

// Press pushes the callback query Telegram sends when the user of the
// private chat chatID taps the inline button labelled label, on the newest
// message whose keyboard (edits included) shows it, and returns the
// update's ID. It fails the test when no message shows such a button or
// the button carries no callback data. Call it from the test's goroutine.
func (s *Server) Press(t testing.TB, chatID int64, lang, label string) int64 {
	t.Helper()
	msg, data, err := s.find(chatID, label)
	if err != nil {
		t.Fatalf("telegramtest: Press(%d, %q): %v", chatID, label, err)
	}
	return s.Push(buttonUpdate(chatID, lang, data, msg))
}

func (s *Server) find(chatID int64, label string) (models.Message, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	if c == nil {
		return models.Message{}, "", fmt.Errorf("the bot sent nothing to this chat")
	}
	var shown []string
	for i := len(c.messages) - 1; i >= 0; i-- {
		m := c.messages[i]
		if m.ReplyMarkup == nil {
			continue
		}
		for _, row := range m.ReplyMarkup.InlineKeyboard {
			for _, k := range row {
				if k.Text != label {
					shown = append(shown, k.Text)
					continue
				}
				if k.CallbackData == "" {
					return models.Message{}, "", fmt.Errorf("button on message %d sends no callback", m.ID)
				}
				return cloneMessage(m), k.CallbackData, nil
			}
		}
	}
	return models.Message{}, "", fmt.Errorf("no message shows that button; buttons shown: %q", shown)
}

func (s *Server) sendMessage(_ context.Context, p params) (any, *apiError) {
	chatID, e := p.chatID()
	if e != nil {
		return nil, e
	}
	text := p["text"]
	if e := checkText(text); e != nil {
		return nil, e
	}
	keyboard, _, e := parseMarkup(p["reply_markup"])
	if e != nil {
		return nil, e
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chatID)
	now := time.Now()
	m := models.Message{
		ID:   len(c.messages) + 1,
		From: &s.me,
		Date: int(now.Unix()),
		Chat: chatOf(chatID),
		Text: text,
	}
	if keyboard != nil {
		m.ReplyMarkup = &models.InlineKeyboardMarkup{InlineKeyboard: keyboard}
	}
	c.messages = append(c.messages, m)
	c.sent = append(c.sent, Sent{ChatID: chatID, MessageID: m.ID, Text: text, Keyboard: keyboard, At: now})
	s.notifyLocked()
	return m, nil
}

func checkText(text string) *apiError {
	switch {
	case !utf8.ValidString(text):
		return badRequest("strings must be encoded in UTF-8")
	case strings.TrimSpace(text) == "":
		return badRequest("message text is empty")
	case utf16Len(text) > maxTextUnits:
		return badRequest("message is too long")
	}
	return nil
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// chatOf returns the chat of chatID: private for a positive ID, as for a
// user, and a group otherwise.
func chatOf(chatID int64) models.Chat {
	if chatID < 0 {
		return models.Chat{ID: chatID, Type: models.ChatTypeGroup, Title: "Test group"}
	}
	return models.Chat{ID: chatID, Type: models.ChatTypePrivate, FirstName: "Test", LastName: "User"}
}

// parseMarkup reads a reply_markup field. It returns the inline keyboard,
// nil for none, and whether the markup was an inline keyboard.
func parseMarkup(raw string) ([][]models.InlineKeyboardButton, bool, *apiError) {
	if raw == "" {
		return nil, false, nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &fields); err != nil {
		return nil, false, badRequest("can't parse reply keyboard markup JSON object")
	}
	if _, ok := fields["inline_keyboard"]; !ok {
		return nil, false, nil
	}
	var markup models.InlineKeyboardMarkup
	if err := json.Unmarshal([]byte(raw), &markup); err != nil {
		return nil, true, badRequest("can't parse inline keyboard button: " + err.Error())
	}
	var rows [][]models.InlineKeyboardButton
	for _, row := range markup.InlineKeyboard {
		for _, k := range row {
			if len(k.CallbackData) > maxCallbackData {
				return nil, true, badRequest("BUTTON_DATA_INVALID")
			}
			if !hasAction(k) {
				return nil, true, badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
			}
		}
		if len(row) > 0 {
			rows = append(rows, row)
		}
	}
	return rows, true, nil
}

// hasAction reports whether a button does something when tapped. A
// copy_text without text does not count: go-telegram/bot sends
// "copy_text":{"text":""} on every button.
func hasAction(k models.InlineKeyboardButton) bool {
	return k.CallbackData != "" || k.URL != "" || k.WebApp != nil || k.LoginURL != nil ||
		k.SwitchInlineQuery != "" || k.SwitchInlineQueryCurrentChat != "" ||
		k.SwitchInlineQueryChosenChat != nil || k.CopyText.Text != "" ||
		k.CallbackGame != nil || k.Pay
}

func (s *Server) editMessageReplyMarkup(_ context.Context, p params) (any, *apiError) {
	keyboard, inline, e := parseMarkup(p["reply_markup"])
	if e != nil {
		return nil, e
	}
	if p["reply_markup"] != "" && !inline {
		return nil, badRequest("inline keyboard expected")
	}
	if p["inline_message_id"] != "" {
		return true, nil
	}
	chatID, e := p.chatID()
	if e != nil {
		return nil, e
	}
	messageID, e := p.int64("message_id", 0)
	if e != nil {
		return nil, e
	}
	if messageID == 0 {
		return nil, badRequest("message identifier is not specified")
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.messageLocked(chatID, int(messageID))
	if m == nil {
		return nil, badRequest("message to edit not found")
	}
	var current [][]models.InlineKeyboardButton
	if m.ReplyMarkup != nil {
		current = m.ReplyMarkup.InlineKeyboard
	}
	if sameKeyboard(current, keyboard) {
		return nil, badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	}
	now := time.Now()
	m.ReplyMarkup = nil
	if keyboard != nil {
		m.ReplyMarkup = &models.InlineKeyboardMarkup{InlineKeyboard: keyboard}
	}
	m.EditDate = int(now.Unix())
	s.edits = append(s.edits, Edit{ChatID: chatID, MessageID: m.ID, Keyboard: keyboard, At: now})
	s.notifyLocked()
	return *m, nil
}

func sameKeyboard(a, b [][]models.InlineKeyboardButton) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}

func (s *Server) answerCallbackQuery(_ context.Context, p params) (any, *apiError) {
	id := p["callback_query_id"]
	s.mu.Lock()
	defer s.mu.Unlock()
	if id == "" || s.answered[id] {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	s.answered[id] = true
	s.answers = append(s.answers, Call{Method: "answerCallbackQuery", Params: maps.Clone(p), At: time.Now()})
	s.notifyLocked()
	return true, nil
}

func cloneKeyboard(k [][]models.InlineKeyboardButton) [][]models.InlineKeyboardButton {
	if k == nil {
		return nil
	}
	out := make([][]models.InlineKeyboardButton, len(k))
	for i, row := range k {
		out[i] = slices.Clone(row)
	}
	return out
}

func cloneMessage(m models.Message) models.Message {
	if m.ReplyMarkup != nil {
		m.ReplyMarkup = &models.InlineKeyboardMarkup{InlineKeyboard: cloneKeyboard(m.ReplyMarkup.InlineKeyboard)}
	}
	if m.From != nil {
		from := *m.From
		m.From = &from
	}
	return m
}

// chatLocked returns the chat with id, made on first use; s.mu is held.
func (s *Server) chatLocked(id int64) *chat {
	c := s.chats[id]
	if c == nil {
		c = &chat{}
		s.chats[id] = c
	}
	return c
}
