package bot

import (
	"context"
	"encoding/json"
	"slices"
)

// maxAnswered bounds the answered alerts a merchant chat remembers for
// corrections.
const maxAnswered = 20

// closedSignal is the data of an alert_closed signal.
type closedSignal struct {
	Case  string `json:"case"`
	Value string `json:"value"`
}

// rememberAnswered keeps a, answered by this chat, for a correction.
func (t *Turn) rememberAnswered(a Alert) {
	c := &t.Conv
	c.Answered = slices.DeleteFunc(c.Answered, func(x Alert) bool { return x.Case == a.Case })
	c.Answered = append(c.Answered, a)
	if n := len(c.Answered); n > maxAnswered {
		c.Answered = slices.Delete(c.Answered, 0, n-maxAnswered)
	}
}

// onAlertClosed closes an alert a colleague answered in another chat of
// the shop: it leaves the queue, the chat is told who answered what, and
// a chat that was looking at it moves on, so that its buttons answer
// nothing any more. A chat that never had the alert hears nothing.
func (t *Turn) onAlertClosed(data string) {
	var s closedSignal
	if err := json.Unmarshal([]byte(data), &s); err != nil || s.Case == "" {
		t.e.cfg.Logger.Warn("bad alert closed signal", "err", err)
		return
	}
	c := &t.Conv
	i := slices.IndexFunc(c.Alerts, func(x Alert) bool { return x.Case == s.Case })
	if i < 0 {
		return
	}
	c.Alerts = slices.Delete(c.Alerts, i, i+1)
	t.Say(MsgAlertClosed, map[string]any{"No": s.Case, "Answer": t.answerLabel(s.Value)})
	if t.presenting() == s.Case && !c.Human {
		t.nextAlert()
	}
}

// answerLabel renders a merchant answer in the conversation's language.
func (t *Turn) answerLabel(value string) string {
	l, err := t.content.Catalog.Render(t.Conv.Lang, MsgAlertAnswerPrefix+value, nil)
	if err != nil {
		return value
	}
	return l
}

// closeAlerts carries out an EffectAlertClosed: every other linked chat
// of the merchant hears that the alert was answered, and where its
// channel keeps buttons on screen, the alert's buttons are taken off.
// A redelivery hears nothing twice (the delivery is marked) and closes
// buttons already closed, which is done.
func (w *Workers) closeAlerts(ctx context.Context, e Effect) error {
	if w.Merchants == nil {
		return nil
	}
	m, err := w.Merchants.Merchant(ctx, e.Data["merchant"])
	if ErrorCode(err) == ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	data, _ := json.Marshal(closedSignal{Case: e.Data["case"], Value: e.Data["value"]})
	for _, chat := range m.Chats {
		if keyDigest(chat) == e.Data["chat"] {
			continue
		}
		ev := Event{Key: chat, Kind: EventSignal, Name: SignalAlertClosed, Data: string(data), DeliveryID: "closed:" + e.ID, LangHint: m.Lang}
		if err := w.settle(w.deliver(ctx, ev), ev); err != nil {
			return err
		}
		if err := w.closeButtons(ctx, chat, e.Data["case"]); err != nil {
			return err
		}
	}
	return nil
}

// correctAnswer lets a merchant chat change an answer it gave: on the
// case named after the command ("correct PS-7K3Q9"), or the one it
// answered last. The alert shows again, and the answer given to it goes
// to the consumer as a correction. with["say"] is said first.
func correctAnswer(t *Turn, with map[string]string) error {
	c := &t.Conv
	no := NormalizeCaseNo(t.CommandArg())
	for i := len(c.Answered) - 1; i >= 0; i-- {
		if a := c.Answered[i]; no == "" || a.Case == no {
			t.sayIf(with["say"], map[string]any{"No": a.Case})
			t.presentAlert(a)
			t.setSlot("alert_correction", "1")
			t.moved = true
			return nil
		}
	}
	t.Say(MsgCorrectNone, nil)
	return nil
}
