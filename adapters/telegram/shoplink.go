package telegram

import (
	"strings"

	"github.com/slipdesk/slipdesk/bot"
)

// shopLinks turns "/start PAYLOAD" from a shop's deep link into the
// engine's shop-link signal, when the payload is one the service signed;
// any other /start goes on as the text it is.
func (c *Bot) shopLinks(events []bot.Event) {
	if c.opts.ShopLink == nil {
		return
	}
	for i, ev := range events {
		if ev.Kind != bot.EventText {
			continue
		}
		word, payload, ok := strings.Cut(strings.TrimSpace(ev.Text), " ")
		if !ok || !strings.EqualFold(word, "/start") {
			continue
		}
		if id, ok := c.opts.ShopLink(strings.TrimSpace(payload)); ok {
			events[i].Kind, events[i].Name, events[i].Data, events[i].Text = bot.EventSignal, bot.SignalShopLink, id, ""
		}
	}
}
