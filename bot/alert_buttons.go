package bot

import (
	"context"
	"time"
)

// AlertButtons keeps, per chat and case, which channel messages carry
// the buttons of the case's alert, so that they can be taken off once
// another chat of the shop answered. A channel names its messages as it
// likes ("chat:message" on Telegram). Records are bounded per chat and
// case and expire after their TTL.
type AlertButtons interface {
	// RememberAlertButtons records that message ref in chat carries the
	// buttons of case no's alert, for ttl.
	RememberAlertButtons(ctx context.Context, chat Key, no, ref string, ttl time.Duration) error
	// AlertButtonRefs returns the messages recorded for chat and case no,
	// newest first.
	AlertButtonRefs(ctx context.Context, chat Key, no string) ([]string, error)
	// ForgetAlertButtons drops the record of chat and case no.
	ForgetAlertButtons(ctx context.Context, chat Key, no string) error
}

// ButtonCloser is what a Sender whose channel keeps buttons on screen
// can also do: take the buttons off the messages that offered case no's
// alert in chat. Closing buttons already closed, or on messages gone,
// is done, not an error; an error means "try again later".
type ButtonCloser interface {
	CloseAlertButtons(ctx context.Context, chat Key, no string) error
}
