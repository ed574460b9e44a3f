package workers

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/slipdesk/slipdesk/bot"
)

// AlertsOnce delivers the alerts it can read and returns how many it
// acknowledged or dead-lettered.
func (w *Workers) AlertsOnce(ctx context.Context) (int, error) {
	w.init()
	alerts, err := w.Alerts.ReadAlerts(ctx, w.Config.Name, 16, 0, w.Config.AlertRetry)
	if err != nil {
		return 0, err
	}
	done := 0
	var firstErr error
	for _, a := range alerts {
		if a.Deliveries > w.Config.AlertMaxTries {
			if err := w.deadLetter(ctx, a, "too many failed deliveries"); err != nil {
				firstErr = keepFirst(firstErr, err)
				continue
			}
			done++
			continue
		}
		if err := w.deliverAlert(ctx, a); err != nil {
			var dead *deadAlert
			if errors.As(err, &dead) {
				if err := w.deadLetter(ctx, a, dead.reason); err != nil {
					firstErr = keepFirst(firstErr, err)
					continue
				}
				done++
				continue
			}
			w.Logger.Warn("alert delivery failed; it will be retried", "case", a.Case, "err", err)
			w.Observer.Alert("retried")
			firstErr = keepFirst(firstErr, err)
			continue
		}
		if err := w.Alerts.AckAlert(ctx, a); err != nil {
			firstErr = keepFirst(firstErr, err)
			continue
		}
		w.Observer.Alert("delivered")
		done++
	}
	return done, firstErr
}

// deadLetter gives up on an alert: the case goes to operators at once,
// rather than after the merchant's silence, and the alert to the
// dead-letter stream.
func (w *Workers) deadLetter(ctx context.Context, a QueuedAlert, reason string) error {
	if !a.Reminder {
		c, err := w.Cases.Case(ctx, a.Case)
		switch {
		case err == nil && c.Consumer != nil:
			// A timer due now carries it: it is retried like any timer
			// when the consumer's channel fails too.
			t := Timer{ID: "unreachable:" + a.ID, Key: *c.Consumer, Name: bot.SignalMerchantUnreachable, Value: c.No, Due: w.Engine.Now().Unix()}
			if err := w.Timers.ScheduleTimer(ctx, t); err != nil {
				return err
			}
		case err != nil && bot.ErrorCode(err) != bot.ENOTFOUND:
			return err
		}
	}
	if err := w.Alerts.DeadLetter(ctx, a, reason); err != nil {
		return err
	}
	w.Observer.Alert("dead")
	return nil
}

type deadAlert struct{ reason string }

func (d *deadAlert) Error() string { return d.reason }

func (w *Workers) deliverAlert(ctx context.Context, a QueuedAlert) error {
	if w.Merchants == nil {
		return &deadAlert{"no merchant registry"}
	}
	m, err := w.Merchants.Merchant(ctx, a.Merchant)
	if bot.ErrorCode(err) == bot.ENOTFOUND {
		return &deadAlert{"merchant " + a.Merchant + " is not registered"}
	}
	if err != nil {
		return err
	}
	if len(m.Chats) == 0 {
		return &deadAlert{"merchant " + a.Merchant + " has no linked chat"}
	}
	sig := bot.AlertSignal{Case: a.Case, Merchant: a.Merchant, Reminder: a.Reminder}
	if a.Fields != "" {
		if err := json.Unmarshal([]byte(a.Fields), &sig.Fields); err != nil {
			return &deadAlert{"undecodable alert fields"}
		}
	}
	data, _ := json.Marshal(sig)
	reached := 0
	for _, chat := range m.Chats {
		ev := bot.Event{Key: chat, Kind: bot.EventSignal, Name: bot.SignalCaseAlert, Data: string(data), DeliveryID: "alert:" + a.ID, LangHint: m.Lang}
		err := w.deliver(ctx, ev)
		if errors.Is(err, bot.ErrUndeliverable) {
			w.Logger.Info("merchant chat refuses messages", "merchant", a.Merchant, "channel", chat.Channel)
			continue
		}
		if err != nil {
			return err
		}
		reached++
	}
	if reached == 0 {
		return &deadAlert{"no linked chat of merchant " + a.Merchant + " takes messages"}
	}
	return nil
}
