package configs

import (
	"net/url"
	"regexp"
	"time"

	"github.com/slipdesk/slipdesk/bot"
)

// TelegramConfig holds the settings of the Telegram channel. The token
// and the webhook secret are secrets: they come from the environment
// only (TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET), never from a file
// that might be shared or checked in.
type TelegramConfig struct {
	Token string `yaml:"-"`
	// APIURL is the Bot API's address (TELEGRAM_API_URL).
	APIURL string `yaml:"api_url"`
	// WebhookURL, when set, is the public HTTPS address Telegram posts
	// updates to (TELEGRAM_WEBHOOK_URL); its path is served by
	// "slipdesk serve". Empty: long polling.
	WebhookURL    string `yaml:"webhook_url"`
	WebhookSecret string `yaml:"-"`
	// PollTimeout is how long one long poll waits for updates.
	PollTimeout bot.Duration `yaml:"poll_timeout"`
	// PerChat is the least time between two messages to one chat after
	// a short burst; MessagesPerSecond caps all messages together.
	PerChat           bot.Duration `yaml:"per_chat_interval"`
	MessagesPerSecond int          `yaml:"messages_per_second"`
}

func defaultTelegram() TelegramConfig {
	return TelegramConfig{
		APIURL:            "https://api.telegram.org",
		PollTimeout:       bot.Duration(50 * time.Second),
		PerChat:           bot.Duration(time.Second),
		MessagesPerSecond: 30,
	}
}

// webhookSecretPattern is what Telegram accepts as a secret_token.
var webhookSecretPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{16,256}$`)

// WebhookPath returns the path of the webhook URL that serve answers on.
func (t TelegramConfig) WebhookPath() string {
	u, err := url.Parse(t.WebhookURL)
	if err != nil || u.Path == "" || u.Path == "/" {
		return "/telegram/webhook"
	}
	return u.Path
}

func (t TelegramConfig) validate() error {
	if t.APIURL == "" {
		return bot.Errorf(bot.EINVALID, "telegram.api_url is empty")
	}
	if u, err := url.Parse(t.APIURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return bot.Errorf(bot.EINVALID, "telegram.api_url %q: use an http(s) address", t.APIURL)
	}
	if t.WebhookURL != "" {
		u, err := url.Parse(t.WebhookURL)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return bot.Errorf(bot.EINVALID, "telegram.webhook_url %q: Telegram posts only to https addresses", t.WebhookURL)
		}
		if !webhookSecretPattern.MatchString(t.WebhookSecret) {
			return bot.Errorf(bot.EINVALID, "TELEGRAM_WEBHOOK_SECRET must be set with a webhook: 16 to 256 letters, digits, _ or -")
		}
	}
	if t.PollTimeout < bot.Duration(time.Second) || t.PollTimeout > bot.Duration(10*time.Minute) {
		return bot.Errorf(bot.EINVALID, "telegram.poll_timeout %v: use 1s to 10m", time.Duration(t.PollTimeout))
	}
	if t.PerChat < 0 || t.MessagesPerSecond < 0 {
		return bot.Errorf(bot.EINVALID, "telegram: per_chat_interval and messages_per_second cannot be negative")
	}
	return nil
}
