package bot

import (
	"encoding/json"
	"slices"
)

// maxAnswered bounds the answered alerts a merchant chat remembers for
// corrections.
const maxAnswered = 20

// ClosedSignal is the data of an alert_closed signal, which the relay
// sends to the merchant's other chats.
type ClosedSignal struct {
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
	var s ClosedSignal
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
