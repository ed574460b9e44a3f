package telegram

import (
	"context"
	"strings"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/slipdesk/slipdesk/bot"
)

// SetMenu sets the bot's command menu, the list Telegram shows when a
// user types "/", from the commands the flow files give a menu message:
// one menu per language, and the default language's for users whose
// app speaks neither.
func (c *Bot) SetMenu(ctx context.Context, content *bot.Content, defaultLang string) error {
	for _, lang := range append([]string{""}, bot.Languages...) {
		render := lang
		if render == "" {
			render = defaultLang
		}
		cmds := []models.BotCommand{}
		for _, m := range content.Menu(render) {
			cmds = append(cmds, models.BotCommand{Command: m.Command, Description: m.Description})
		}
		_, err := c.api.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: cmds, LanguageCode: languageCode(lang)})
		if err != nil {
			return apiError("setMyCommands", err, c.opts.Token)
		}
	}
	return nil
}

// languageCode is the two-letter code Telegram keys menus by.
func languageCode(lang string) string {
	code, _, _ := strings.Cut(lang, "-")
	return code
}
