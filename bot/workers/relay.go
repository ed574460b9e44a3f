package workers

import (
	"context"
	"encoding/json"

	"github.com/slipdesk/slipdesk/bot"
)

// RelayOnce carries out the effects of the outboxes it can claim and
// returns how many it carried out.
func (w *Workers) RelayOnce(ctx context.Context) (int, error) {
	w.init()
	keys, err := w.Outbox.ClaimOutboxes(ctx, 32, w.Config.Lease)
	if err != nil {
		return 0, err
	}
	done := 0
	var firstErr error
	for _, key := range keys {
		effects, err := w.Outbox.OutboxEffects(ctx, key)
		if err != nil {
			firstErr = keepFirst(firstErr, err)
			continue
		}
		failed := false
		for _, e := range effects {
			if err := w.apply(ctx, key, e); err != nil {
				// Effects after a failed one wait too, so that they are
				// carried out in order.
				w.Logger.Warn("effect failed; it stays in the outbox", "effect", e.Kind, "err", err)
				firstErr = keepFirst(firstErr, err)
				failed = true
				break
			}
			if err := w.Outbox.AckEffect(ctx, key, e); err != nil {
				firstErr = keepFirst(firstErr, err)
				failed = true
				break
			}
			done++
		}
		if !failed {
			if err := w.Outbox.ReleaseOutbox(ctx, key); err != nil {
				firstErr = keepFirst(firstErr, err)
			}
		}
	}
	return done, firstErr
}

func keepFirst(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

// apply carries out one effect of key's outbox.
func (w *Workers) apply(ctx context.Context, key bot.Key, e bot.Effect) error {
	switch e.Kind {
	case bot.EffectCaseSync:
		var c bot.Case
		if err := json.Unmarshal([]byte(e.Data["case"]), &c); err != nil {
			w.Logger.Error("undecodable case in outbox; dropped", "err", err)
			return nil
		}
		if err := w.Cases.SyncCase(ctx, c); err != nil {
			return err
		}
		w.Observer.CaseStatus(string(c.Status))
		return nil
	case bot.EffectAlert:
		return w.Alerts.EnqueueAlert(ctx, QueuedAlert{
			ID: e.ID, Case: e.Data["case"], Merchant: e.Data["merchant"],
			Fields: e.Data["fields"], Reminder: e.Data["reminder"] == "1",
		})
	case bot.EffectTimer:
		t := Timer{ID: e.ID, Key: key, Name: e.Data["name"], Value: e.Data["value"], Due: e.Due}
		if bot.IsCaseTimer(t.Name) {
			// It acts on the case index and may outlive the
			// conversation: it keeps no user's key.
			t.Key = bot.Key{}
		}
		return w.Timers.ScheduleTimer(ctx, t)
	case bot.EffectTimerCancel:
		return w.Timers.CancelTimer(ctx, e.Data["id"])
	case bot.EffectMerchantAnswer:
		return w.relayAnswer(ctx, e)
	case bot.EffectAlertClosed:
		return w.closeAlerts(ctx, e)
	case bot.EffectMerchantWanted:
		return w.noteWanted(ctx, e)
	case bot.EffectProofDelete:
		if w.Proofs == nil {
			return nil
		}
		return w.Proofs.Delete(ctx, e.Data["ref"])
	case bot.EffectOpsForget:
		if w.Ops == nil {
			return nil
		}
		return w.Ops.ForgetConversation(ctx, key)
	case bot.EffectHandover, bot.EffectEscalate:
		if w.Ops == nil {
			return nil
		}
		data := map[string]string{}
		if e.Kind == bot.EffectHandover {
			// Operators need the conversation to take it over; an
			// escalated case is found by its number.
			data["conversation"] = key.String()
		}
		for k, v := range e.Data {
			data[k] = v
		}
		return w.Ops.NotifyOps(ctx, e.ID, e.Kind, data)
	default:
		w.Logger.Warn("effect kind has no worker; dropped", "effect", e.Kind)
		return nil
	}
}
