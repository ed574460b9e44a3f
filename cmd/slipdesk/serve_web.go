package main

import (
	"crypto/rand"
	"fmt"
	"log/slog"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/slipdesk/slipdesk/adapters/console"
	"github.com/slipdesk/slipdesk/adapters/poster"
	"github.com/slipdesk/slipdesk/adapters/web/admin"
	"github.com/slipdesk/slipdesk/adapters/web/webchat"
	"github.com/slipdesk/slipdesk/bot"
	"github.com/slipdesk/slipdesk/configs"
)

// startWeb registers the web chat on e and its sender with the workers.
// The caller runs the chat's wake-ups (Run) for as long as it serves.
func (m *Main) startWeb(cfg configs.Config, d *desk, e *echo.Echo, logger *slog.Logger) (*webchat.Chat, error) {
	secret := []byte(cfg.Web.Secret)
	if len(secret) == 0 {
		secret = []byte(rand.Text())
		fmt.Fprintln(m.Stderr, "slipdesk: SLIPDESK_WEB_SECRET is not set; web chat tokens last until this process stops, and other replicas will not accept them")
	}
	chat, err := webchat.New(webchat.Options{
		Engine:       d.engine,
		Feeds:        d.store,
		Proofs:       d.proofs,
		Secret:       secret,
		Limiter:      d.store.NewRateLimiter(),
		MaxProofSize: int64(cfg.Proofs.MaxSize),
		FeedTTL:      durationOf(cfg.IdleTTL),
		DefaultLang:  cfg.DefaultLang,
		Logger:       logger,
	})
	if err != nil {
		return nil, err
	}
	chat.Register(e)
	d.workers.Senders[webchat.Channel] = chat
	return chat, nil
}

// startAdmin registers the operators' console on e. What an operator
// says goes out through the workers' senders, and to terminal chats
// through their inbox; the flows page checks and publishes the content
// through content.
func (m *Main) startAdmin(cfg configs.Config, d *desk, e *echo.Echo, content admin.Content, logger *slog.Logger) error {
	senders := map[string]bot.Sender{console.Channel: console.Sender(d.store)}
	for ch, s := range d.workers.Senders {
		senders[ch] = s
	}
	var posters admin.Posters
	if cfg.Web.Secret != "" {
		// Posters need a secret that outlives this process, and fonts.
		if fonts, err := poster.LoadFonts(""); err == nil {
			posters = newPosterMaker(cfg, d.engine.Content().Catalog, fonts)
		} else {
			logger.Warn("console: no QR posters", "err", err)
		}
	}
	c, err := admin.New(admin.Options{
		Engine:       d.engine,
		Store:        d.store,
		Senders:      senders,
		Proofs:       d.proofs,
		Content:      content,
		Merchants:    d.store,
		Posters:      posters,
		Limiter:      d.store.NewRateLimiter(),
		SecureCookie: strings.HasPrefix(cfg.Web.PublicURL, "https://"),
		DefaultLang:  cfg.DefaultLang,
		Logger:       logger,
	})
	if err != nil {
		return err
	}
	c.Register(e)
	return nil
}

// shopLink reads the payload of a shop's Telegram deep link, signed with
// the web chat's secret; nil without a secret, which no link outlives.
func shopLink(cfg configs.Config) func(string) (string, bool) {
	if cfg.Web.Secret == "" {
		return nil
	}
	return webchat.NewSigner([]byte(cfg.Web.Secret)).OpenTelegramPayload
}
