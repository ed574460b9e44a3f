package configs

import (
	"net/url"

	"github.com/slipdesk/slipdesk/bot"
)

// WebConfig holds the settings of the web chat. The secret that signs
// conversation tokens and shop links comes from the environment only
// (SLIPDESK_WEB_SECRET), never from a file.
type WebConfig struct {
	Secret string `yaml:"-"`
	// PublicURL is the address people open the chat at
	// (SLIPDESK_PUBLIC_URL), used in the links of shop QR codes.
	PublicURL string `yaml:"public_url"`
}

func (w WebConfig) validate() error {
	if w.Secret != "" && len(w.Secret) < 16 {
		return bot.Errorf(bot.EINVALID, "SLIPDESK_WEB_SECRET must be at least 16 characters")
	}
	if w.PublicURL != "" {
		u, err := url.Parse(w.PublicURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return bot.Errorf(bot.EINVALID, "web.public_url %q: use an http(s) address", w.PublicURL)
		}
	}
	return nil
}
