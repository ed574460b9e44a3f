package bot

import (
	"context"
	"time"
)

// deliver runs ev through the engine and pushes the replies to its user,
// unless they were delivered before.
func (w *Workers) deliver(ctx context.Context, ev Event) error {
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
	s := w.Senders[ev.Key.Channel]
	if s == nil {
		w.Logger.Warn("no sender for channel; replies stay in the transcript", "channel", ev.Key.Channel)
		return nil
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
