package telegram

import (
	"context"

	tgbot "github.com/go-telegram/bot"
)

// Username asks the API for the user name of the bot token names.
func Username(ctx context.Context, token, apiURL string) (string, error) {
	api, err := tgbot.New(token, tgbot.WithServerURL(apiURL), tgbot.WithSkipGetMe())
	if err != nil {
		return "", err
	}
	me, err := api.GetMe(ctx)
	if err != nil {
		return "", apiError("getMe", err, token)
	}
	return me.Username, nil
}

// DeepLink returns the t.me link that opens a chat with the bot and
// sends it "/start payload", as a merchant's link code is sent.
func DeepLink(username, payload string) string {
	return "https://t.me/" + username + "?start=" + payload
}
