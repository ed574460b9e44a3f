package bot

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
)

// AlertStep is the step a merchant chat is taken to when an alert
// arrives: a choice of the one-tap answers whose action is answer_case.
const AlertStep = deskFlow + ".alert"

// deskFlow is the flow of the merchant desk.
const deskFlow = "merchant_desk"

// AlertSignal is the data of a case_alert signal, which the alert worker
// sends to each linked chat of the merchant.
type AlertSignal struct {
	Case     string            `json:"case"`
	Merchant string            `json:"merchant"`
	Fields   map[string]string `json:"fields,omitempty"`
	Reminder bool              `json:"reminder,omitempty"`
}

// onAlert takes a merchant chat to the alert step, or queues the alert
// behind the one the merchant is answering.
func (t *Turn) onAlert(data string) {
	var a AlertSignal
	if err := json.Unmarshal([]byte(data), &a); err != nil || a.Case == "" {
		t.e.cfg.Logger.Warn("bad case alert signal", "err", err)
		return
	}
	c := &t.Conv
	if c.Merchant == "" {
		// Chats linked before merchant mode existed learn it here.
		c.Merchant = a.Merchant
	}
	i := slices.IndexFunc(c.Alerts, func(x Alert) bool { return x.Case == a.Case })
	if i < 0 {
		if a.Reminder {
			// The merchant answered meanwhile.
			return
		}
		c.Alerts = append(c.Alerts, Alert{Case: a.Case, Merchant: a.Merchant, Fields: a.Fields, At: t.now.Unix()})
		i = len(c.Alerts) - 1
	}
	if a.Reminder {
		t.Say(MsgAlertReminder, map[string]any{"No": a.Case})
	}
	if c.Human {
		// A person has the chat: the alert waits until they release it.
		if !a.Reminder {
			t.Say(MsgAlertQueued, map[string]any{"No": a.Case, "Waiting": len(c.Alerts)})
		}
		return
	}
	if t.presenting() != "" {
		if t.presenting() != a.Case {
			t.Say(MsgAlertQueued, map[string]any{"No": a.Case, "Waiting": len(c.Alerts) - 1})
		}
		return
	}
	t.presentAlert(c.Alerts[i])
}

// presenting returns the case whose alert the chat is answering, or "".
func (t *Turn) presenting() string {
	if t.flow == nil || t.flow.Name != deskFlow || t.Conv.Ended {
		return ""
	}
	return t.Conv.Slots["alert_case"]
}

func (t *Turn) presentAlert(a Alert) {
	c := &t.Conv
	if t.flow != nil && t.flow.Name != deskFlow && !c.Ended && !c.Human && c.Return == nil {
		c.Return = &Resume{Flow: c.Flow, FlowVersion: c.FlowVersion, Step: c.Step}
	}
	t.clearAlertSlots()
	t.setSlot("alert_case", a.Case)
	for k, v := range a.Fields {
		if k != sharedField {
			t.setSlot("alert_"+k, v)
		}
	}
	t.sayAlertFiles(a)
	t.jump(AlertStep)
}

// presentWaitingAlert shows the oldest unanswered alert, if any, and
// reports whether it did.
func (t *Turn) presentWaitingAlert() bool {
	if len(t.Conv.Alerts) == 0 || t.Conv.Human || t.presenting() != "" {
		return false
	}
	t.presentAlert(t.Conv.Alerts[0])
	return true
}

// answerCase sends the merchant's answer on the alert being presented to
// the case's consumer: the value in slot alert_answer, the words in slot
// alert_text. The first answer on a case counts, whichever of the shop's
// chats gives it (see AnswerClaims): a chat that comes second is told
// what its colleague answered, and its answer goes nowhere. An answer
// given through "correct" changes the first one. It says with["say"],
// then shows the next waiting alert or goes back to where the merchant
// was.
func answerCase(t *Turn, with map[string]string) error {
	c := &t.Conv
	no := c.Slots["alert_case"]
	correction := c.Slots["alert_correction"] == "1"
	list := &c.Alerts
	if correction {
		list = &c.Answered
	}
	i := slices.IndexFunc(*list, func(x Alert) bool { return x.Case == no })
	if i < 0 {
		t.Say(MsgAlertGone, map[string]any{"No": no})
		t.clearAlertSlots()
		t.leaveDesk()
		return nil
	}
	a := (*list)[i]
	value := c.Slots["alert_answer"]
	if !slices.Contains(MerchantAnswers, value) {
		return Errorf(EINVALID, "answer_case: slot alert_answer holds %q", value)
	}
	round, _ := strconv.Atoi(a.Fields["round"])
	round = max(round, 1)
	if !correction {
		kept, won, err := t.claimAnswer(roundRef(a.Case, round), value)
		if err != nil {
			return err
		}
		c.Alerts = slices.Delete(c.Alerts, i, i+1)
		if !won {
			t.Say(MsgAlertTaken, map[string]any{"No": a.Case, "Answer": t.answerLabel(kept.Value)})
			t.nextAlert()
			return nil
		}
		t.rememberAnswered(a)
		t.Effect(EffectAlertClosed, map[string]string{"case": a.Case, "merchant": a.Merchant, "value": value, "chat": KeyDigest(t.Event.Key)}, time.Time{})
	}
	data := map[string]string{"case": a.Case, "value": value, "merchant": a.Merchant, "round": strconv.Itoa(round)}
	switch value {
	case "text":
		data["text"] = c.Slots["alert_text"]
	case "need_info":
		need := c.Slots["alert_need"]
		if !slices.Contains(InfoNeeds, need) {
			need = NeedWords
		}
		data["need"] = need
		if need == NeedWords {
			data["text"] = c.Slots["alert_text"]
		}
	}
	if correction {
		data["correction"] = "1"
	}
	t.Effect(EffectMerchantAnswer, data, time.Time{})
	if t.consumerGone(a.Case) {
		t.Say(MsgAlertCustomerGone, map[string]any{"No": a.Case})
	} else if msg := with["say"]; msg != "" {
		t.Say(msg, map[string]any{"No": a.Case})
	}
	t.nextAlert()
	return nil
}

// nextAlert shows the oldest waiting alert, or leaves the desk.
func (t *Turn) nextAlert() {
	t.clearAlertSlots()
	if len(t.Conv.Alerts) > 0 {
		t.presentAlert(t.Conv.Alerts[0])
		t.moved = true
		return
	}
	t.leaveDesk()
}

func (t *Turn) clearAlertSlots() {
	for k := range t.Conv.Slots {
		if strings.HasPrefix(k, "alert_") {
			delete(t.Conv.Slots, k)
		}
	}
}

// leaveDesk goes back to where the merchant was before the alerts, or
// ends quietly when they were nowhere.
func (t *Turn) leaveDesk() {
	if t.Conv.Return == nil {
		t.moved = true
		t.Conv.Ended, t.Conv.Deadline = true, 0
		return
	}
	t.Goto(ReturnTarget)
}
