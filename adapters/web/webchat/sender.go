package webchat

import (
	"context"

	"github.com/slipdesk/slipdesk/bot"
)

// Send implements bot.Sender: what the workers push to a web user (the
// shop's answer, a reminder, an operator's reply) goes into the
// conversation's feed, and every page that follows it gets it at once.
// The workers mark their deliveries done themselves, so the entries are
// appended without a mark of their own.
func (c *Chat) Send(ctx context.Context, to bot.Key, replies []bot.Reply) error {
	if to.Channel != Channel {
		return bot.Errorf(bot.EINVALID, "webchat: key of channel %q", to.Channel)
	}
	return c.appendFeed(ctx, to, "", replyEntries(replies, nowMillis()), replies)
}

var _ bot.Sender = (*Chat)(nil)
