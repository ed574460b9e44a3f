package workers

import (
	"context"
	"errors"

	"github.com/slipdesk/slipdesk/bot"
)

// deliver runs ev through the engine and pushes the replies to its user,
// unless they were delivered before. A worker with no sender for the
// user's channel leaves the work to one that has it: the error keeps the
// effect, alert or timer for another try, and the turn, once committed,
// gives the same replies to whoever sends them.
func (w *Workers) deliver(ctx context.Context, ev bot.Event) error {
	s := w.Senders[ev.Key.Channel]
	if s == nil {
		return bot.Errorf(bot.EUNAVAIL, "this worker has no sender for channel %q", ev.Key.Channel)
	}
	res, err := w.Engine.Process(ctx, ev)
	if err != nil {
		return err
	}
	replies := res.Replies
	if len(replies) == 0 {
		return nil
	}
	once := bot.SendOnce{Marks: w.Deliveries, TTL: w.Config.DeliveredTTL, Lease: w.Config.SendLease, Channel: ev.Key.Channel, Observer: w.Observer}
	d := bot.Delivery{Key: ev.Key, ID: ev.DeliveryID, Mark: ev.DeliveryID + "|" + ev.Key.String()}
	return once.Send(ctx, d, res.Sending, len(replies), func(ctx context.Context, i int) error {
		return sendWithRetry(ctx, s, ev.Key, replies[i:i+1])
	})
}

// settle counts a delivery to a user the channel refuses for good as
// done: the turn is committed, and trying again would fail the same way.
func (w *Workers) settle(err error, ev bot.Event) error {
	if errors.Is(err, bot.ErrUndeliverable) {
		w.Logger.Info("user unreachable on their channel; delivery dropped", "channel", ev.Key.Channel, "delivery", ev.DeliveryID)
		return nil
	}
	return err
}

// sendWithRetry tries a send three times with a growing pause; a user
// the channel refuses for good is not tried again.
func sendWithRetry(ctx context.Context, s bot.Sender, to bot.Key, replies []bot.Reply) error {
	var (
		err   error
		pause bot.Backoff
	)
	for range 3 {
		if err = s.Send(ctx, to, replies); err == nil || errors.Is(err, bot.ErrUndeliverable) {
			return err
		}
		if werr := pause.Wait(ctx); werr != nil {
			return werr
		}
	}
	return err
}
