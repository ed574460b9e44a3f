package bot

import "context"

// Sender delivers replies to a user on one channel, outside of a reply to
// that user's own message: merchant alerts, relayed answers, reminders.
type Sender interface {
	Send(ctx context.Context, to Key, replies []Reply) error
}

// SenderFunc adapts a function to Sender.
type SenderFunc func(ctx context.Context, to Key, replies []Reply) error

// Send calls f.
func (f SenderFunc) Send(ctx context.Context, to Key, replies []Reply) error {
	return f(ctx, to, replies)
}
