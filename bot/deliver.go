package bot

import (
	"context"
	"time"
)

// deliver runs ev through the engine and pushes the replies to its user,
// unless they were delivered before. A worker with no sender for the
// user's channel leaves the work to one that has it: the error keeps the
// effect, alert or timer for another try, and the turn, once committed,
// gives the same replies to whoever sends them.
func (w *Workers) deliver(ctx context.Context, ev Event) error {
	s := w.Senders[ev.Key.Channel]
	if s == nil {
		return Errorf(EUNAVAIL, "this worker has no sender for channel %q", ev.Key.Channel)
	}
	replies, err := w.Engine.Handle(ctx, ev)
	if err != nil {
		return err
	}
	if len(replies) == 0 {
		return nil
	}
	mark := ev.DeliveryID + "|" + ev.Key.String()
	if w.Deliveries != nil {
		done, err := w.Deliveries.Delivered(ctx, mark)
		if err != nil {
			return err
		}
		if done {
			return nil
		}
	}
	if err := sendWithRetry(ctx, s, ev.Key, replies); err != nil {
		return err
	}
	if w.Deliveries != nil {
		return w.Deliveries.MarkDelivered(ctx, mark, w.Config.DeliveredTTL)
	}
	return nil
}

// sendWithRetry tries a send three times with a growing pause.
func sendWithRetry(ctx context.Context, s Sender, to Key, replies []Reply) error {
	var err error
	for attempt := range 3 {
		if err = s.Send(ctx, to, replies); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(100<<attempt) * time.Millisecond):
		}
	}
	return err
}
