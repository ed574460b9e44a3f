package telegram_test

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/slipdesk/slipdesk/adapters/redis/redistest"
	"github.com/slipdesk/slipdesk/adapters/telegram"
	"github.com/slipdesk/slipdesk/bot/bottest"
)

// casePattern finds a case number in a message.
var casePattern = regexp.MustCompile(`PS-[0-9A-Z]+`)

// TestAlertButtonsClosedInOtherChats plays a shop with two linked chats
// on the fake Bot API, on the real Redis and the embedded store: one
// chat answers the alert (by tapping in English, by typing "找到了" in
// Chinese), the consumer gets that one answer (the transcript lists
// every message pushed), the other chat's alert message loses its
// keyboard, once, and the answering chat's loses it too. Closing again, as a redelivered
// effect would, edits nothing.
func TestAlertButtonsClosedInOtherChats(t *testing.T) {
	for _, file := range bottest.Files(t, "testdata") {
		tr, err := bottest.Parse(file)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			redistest.Backends(t, func(t *testing.T, rdb redis.UniversalClient) {
				d := redistest.NewDesk(t, rdb, redistest.Options{})
				dr := newDriver(t, d, tr.LangHint, false)
				bottest.Run(t, tr, dr, d.Clock)

				till := dr.chat("till")
				alert := -1
				for _, s := range dr.fake.Sent(till) {
					if len(s.Keyboard) > 0 {
						alert = s.MessageID
					}
				}
				if alert < 0 {
					t.Fatal("the till never got an alert with buttons")
				}
				if m, _ := dr.fake.Message(till, alert); m.ReplyMarkup != nil && len(m.ReplyMarkup.InlineKeyboard) > 0 {
					t.Fatalf("the till's alert still has buttons: %+v", m.ReplyMarkup.InlineKeyboard)
				}
				edits := 0
				for _, e := range dr.fake.EditedMarkups() {
					if e.ChatID == till {
						edits++
						if e.MessageID != alert || len(e.Keyboard) != 0 {
							t.Fatalf("till edit %+v, want the alert's keyboard removed", e)
						}
					}
				}
				if edits != 1 {
					t.Fatalf("the till's keyboard was edited %d times, want once", edits)
				}
				// The chat that answered keeps no buttons either, whether
				// it tapped or typed.
				shop := dr.chat("shop")
				for _, s := range dr.fake.Sent(shop) {
					if m, _ := dr.fake.Message(shop, s.MessageID); len(s.Keyboard) > 0 && m.ReplyMarkup != nil && len(m.ReplyMarkup.InlineKeyboard) > 0 {
						t.Fatalf("the answering chat's message %d still has buttons: %+v", s.MessageID, m.ReplyMarkup.InlineKeyboard)
					}
				}
				m, _ := dr.fake.Message(till, alert)
				no := casePattern.FindString(m.Text)
				before := len(dr.fake.EditedMarkups())
				if err := dr.bot.CloseAlertButtons(context.Background(), telegram.KeyOf(till), no); err != nil {
					t.Fatalf("closing %q again: %v", no, err)
				}
				if no == "" {
					t.Fatalf("no case number in the alert %q", m.Text)
				}
				if n := len(dr.fake.EditedMarkups()); n != before {
					t.Fatalf("closing %q again edited %d messages", no, n-before)
				}
			})
		})
	}
}
