package bot

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// onCaseSignal handles the signals the engine owns; it reports whether
// name was one of them.
func (t *Turn) onCaseSignal(name, data string) bool {
	switch name {
	case SignalCaseAlert:
		t.onAlert(data)
	case SignalMerchantAnswer:
		t.onMerchantAnswer(data)
	case SignalAlertClosed:
		t.onAlertClosed(data)
	case SignalMerchantRemind, SignalEscalate, SignalMerchantUnreachable, SignalProofRemind, SignalIdleClose:
		t.onCaseTimer(name, data)
	case SignalTick:
		t.fireTimeout()
	case SignalOperatorCloseCase:
		t.onCloseCase(data)
	default:
		return false
	}
	return true
}

// AnswerSignal is the data of a merchant_answer signal, which the relay
// sends to the case's consumer.
type AnswerSignal struct {
	Case  string `json:"case"`
	Value string `json:"value"`
	Text  string `json:"text,omitempty"`
	// Correction is set when the shop changes the answer it gave.
	Correction bool `json:"correction,omitempty"`
	// Need is what the shop asks for with need_info; Round the round
	// the answer belongs to (0 for the first).
	Need  string `json:"need,omitempty"`
	Round int    `json:"round,omitempty"`
}

func (t *Turn) onMerchantAnswer(data string) {
	var a AnswerSignal
	if !strings.HasPrefix(data, "{") {
		// An operator or a test names just the answer: it is for the
		// case the conversation opened last.
		a.Value = data
	} else if err := json.Unmarshal([]byte(data), &a); err != nil {
		t.e.cfg.Logger.Warn("bad merchant answer signal", "err", err)
		return
	}
	if !slices.Contains(MerchantAnswers, a.Value) {
		t.e.cfg.Logger.Warn("unknown merchant answer", "value", a.Value)
		return
	}
	if a.Case == "" {
		a.Case = t.Conv.Slots["case_no"]
	}
	c := t.Conv.Case(a.Case)
	if c == nil {
		// No case to update: only a flow waiting for the answer hears it.
		if s := t.step(); s != nil && s.Kind == KindWait && s.Wait == SignalMerchantAnswer {
			t.setSlot("merchant_answer_text", a.Text)
			t.onWaitSignal(s, SignalMerchantAnswer, a.Value)
		}
		return
	}
	t.takeAnswer(c, a)
}

func (t *Turn) onCaseTimer(name, ref string) {
	no, round := parseRoundRef(ref)
	c := t.Conv.Case(no)
	if c == nil {
		return
	}
	if (name == SignalMerchantRemind || name == SignalEscalate) && round != c.round() {
		// A timer of an earlier round: the shop answered it.
		return
	}
	now := t.now.Unix()
	cfg := t.e.cfg.Cases
	switch name {
	case SignalMerchantRemind:
		if c.Status != CaseWaitingMerchant {
			return
		}
		c.Log = append(c.Log, CaseChange{At: now, Status: c.Status, Actor: "timer", Note: "merchant reminded"})
		c.touch(now)
		t.alertMerchant(c, true)
		t.schedule(SignalEscalate, roundRef(c.No, c.round()), t.now.Add(cfg.EscalateAfter))
		t.syncCase(c)
	case SignalEscalate, SignalMerchantUnreachable:
		if c.Status != CaseWaitingMerchant {
			return
		}
		reason, msg := ReasonMerchantSilent, MsgCaseEscalated
		if name == SignalMerchantUnreachable {
			reason, msg = ReasonMerchantUnreachable, MsgCaseUnreachable
		}
		c.Reason = reason
		c.setStatus(CaseEscalated, "timer", now, strings.ReplaceAll(c.Reason, "_", " "))
		t.Effect(EffectEscalate, map[string]string{"case": c.No, "reason": c.Reason}, time.Time{})
		t.syncCase(c)
		if !t.moveOn(c) {
			t.Say(msg, map[string]any{"No": c.No})
		}
	case SignalProofRemind:
		if c.Status.Done() || len(c.ProofsMissing()) == 0 {
			return
		}
		t.Say(MsgCaseProofRemind, t.checklistData(c))
	case SignalIdleClose:
		// Closed cases stay closed; operators hold escalated ones.
		if c.Status == CaseClosed || c.Status == CaseEscalated {
			return
		}
		if idle := t.now.Sub(unixTime(c.Updated)); idle < cfg.IdleCloseAfter {
			t.schedule(SignalIdleClose, c.No, unixTime(c.Updated).Add(cfg.IdleCloseAfter))
			return
		}
		resolved := c.Status == CaseResolved
		c.setStatus(CaseClosed, "timer", now, "no activity")
		t.syncCase(c)
		if !resolved {
			// A resolved case closes quietly: there is nothing to tell.
			t.Say(MsgCaseIdleClosed, map[string]any{"No": c.No, "Days": int(cfg.IdleCloseAfter.Hours() / 24)})
		}
	}
}
