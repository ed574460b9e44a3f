package workers

import (
	"context"
	"encoding/json"

	"github.com/slipdesk/slipdesk/bot"
)

// closeAlerts carries out an EffectAlertClosed: every other linked chat
// of the merchant hears that the alert was answered, and where a
// channel keeps buttons on screen, the alert's buttons are taken off in
// every chat, the answering one included.
// A redelivery hears nothing twice (the delivery is marked) and closes
// buttons already closed, which is done.
func (w *Workers) closeAlerts(ctx context.Context, e bot.Effect) error {
	if w.Merchants == nil {
		return nil
	}
	m, err := w.Merchants.Merchant(ctx, e.Data["merchant"])
	if bot.ErrorCode(err) == bot.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	data, _ := json.Marshal(bot.ClosedSignal{Case: e.Data["case"], Value: e.Data["value"]})
	for _, chat := range m.Chats {
		if bot.KeyDigest(chat) == e.Data["chat"] {
			// The chat that answered hears nothing more, but an answer
			// typed rather than tapped leaves its alert's buttons on
			// screen, where a later tap would only meet a stale button.
			if err := w.closeButtons(ctx, chat, e.Data["case"]); err != nil {
				return err
			}
			continue
		}
		ev := bot.Event{Key: chat, Kind: bot.EventSignal, Name: bot.SignalAlertClosed, Data: string(data), DeliveryID: "closed:" + e.ID, LangHint: m.Lang}
		if err := w.settle(w.deliver(ctx, ev), ev); err != nil {
			return err
		}
		if err := w.closeButtons(ctx, chat, e.Data["case"]); err != nil {
			return err
		}
	}
	return nil
}

// closeButtons takes the alert's buttons off in chat, if its channel
// keeps them on screen.
func (w *Workers) closeButtons(ctx context.Context, chat bot.Key, no string) error {
	c, ok := w.Senders[chat.Channel].(bot.ButtonCloser)
	if !ok || no == "" {
		return nil
	}
	return c.CloseAlertButtons(ctx, chat, no)
}
