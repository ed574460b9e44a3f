package workers

import (
	"context"

	"github.com/slipdesk/slipdesk/bot"
)

// TimersOnce fires the due timers it can claim and returns how many.
func (w *Workers) TimersOnce(ctx context.Context) (int, error) {
	w.init()
	timers, err := w.Timers.ClaimTimers(ctx, w.Engine.Now(), 32, w.Config.Lease)
	if err != nil {
		return 0, err
	}
	done := 0
	var firstErr error
	for _, tm := range timers {
		var err error
		switch tm.Name {
		case bot.TimerCasePurge:
			err = w.purgeCase(ctx, tm.Value)
		case bot.TimerCaseForget:
			err = w.Cases.ForgetCase(ctx, tm.Value)
		default:
			ev := bot.Event{Key: tm.Key, Kind: bot.EventSignal, Name: tm.Name, Data: tm.Value, DeliveryID: "timer:" + tm.ID}
			if tm.Name == bot.SignalTick {
				ev.Kind, ev.Name, ev.Data = bot.EventTick, "", ""
			}
			err = w.settle(w.deliver(ctx, ev), ev)
		}
		if err != nil {
			firstErr = keepFirst(firstErr, err)
			continue
		}
		if err := w.Timers.DoneTimer(ctx, tm.ID); err != nil {
			firstErr = keepFirst(firstErr, err)
			continue
		}
		w.Observer.TimerFired(tm.Name)
		done++
	}
	return done, firstErr
}

// purgeCase ends a case's retention: the index keeps the anonymous record,
// until a forget timer removes it, and the proofs' bytes are deleted.
// Doing it twice changes nothing more.
func (w *Workers) purgeCase(ctx context.Context, no string) error {
	c, err := w.Cases.Case(ctx, no)
	if bot.ErrorCode(err) == bot.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	if w.Proofs != nil {
		for _, p := range c.Proofs {
			if p.StoreRef == "" {
				continue
			}
			if err := w.Proofs.Delete(ctx, p.StoreRef); err != nil {
				return err
			}
		}
	}
	if !c.Anonymous {
		a := c.Anonymized(w.Engine.PersonalFields(), w.Engine.Now().Unix())
		if err := w.Cases.SyncCase(ctx, a); err != nil {
			return err
		}
	}
	// One forget timer per case, whoever purges it and how often.
	return w.Timers.ScheduleTimer(ctx, Timer{
		ID: TimerCaseForgetID(no), Name: bot.TimerCaseForget, Value: no,
		Due: w.Engine.Now().Add(w.Config.KeepCases).Unix(),
	})
}

// TimerCaseForgetID is the ID of the timer that forgets case no.
func TimerCaseForgetID(no string) string { return bot.TimerCaseForget + ":" + no }
