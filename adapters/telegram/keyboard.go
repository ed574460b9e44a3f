package telegram

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"

	"github.com/slipdesk/slipdesk/bot"
)

// maxCallbackData is the Bot API's limit on a button's data, in bytes.
const maxCallbackData = 64

// shortLabel is the longest label, in runes, that still fits two
// buttons to a row on a phone.
const shortLabel = 12

// render returns a reply's text and its choices as an inline keyboard;
// nil when it has none. Should a button's data not fit the API's limit
// (the flow linter stops such flows), the choices are numbered in the
// text instead, as the terminal shows them, and typing the number works.
func render(r bot.Reply) (string, *models.InlineKeyboardMarkup) {
	if len(r.Options) == 0 {
		return r.Text, nil
	}
	for _, o := range r.Options {
		if len(o.Data) > maxCallbackData || o.Data == "" {
			return numbered(r), nil
		}
	}
	perRow := 1
	if len(r.Options) >= 4 && allShort(r.Options) {
		perRow = 2
	}
	var rows [][]models.InlineKeyboardButton
	for i, o := range r.Options {
		b := models.InlineKeyboardButton{Text: o.Label, CallbackData: o.Data}
		if i%perRow == 0 {
			rows = append(rows, nil)
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], b)
	}
	return r.Text, &models.InlineKeyboardMarkup{InlineKeyboard: rows}
}

func allShort(opts []bot.Option) bool {
	for _, o := range opts {
		if utf8.RuneCountInString(o.Label) > shortLabel {
			return false
		}
	}
	return true
}

func numbered(r bot.Reply) string {
	var b strings.Builder
	b.WriteString(r.Text)
	for i, o := range r.Options {
		fmt.Fprintf(&b, "\n%d) %s", i+1, o.Label)
	}
	return b.String()
}
