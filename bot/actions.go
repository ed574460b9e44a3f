package bot

import (
	"fmt"
	"strings"
	"time"
)

func builtinActions() map[string]Action {
	return map[string]Action{
		"set_lang":        setLang,
		"switch_lang":     switchLang,
		"handover":        handover,
		"release":         release,
		"clear":           clearSlots,
		"set":             setSlot,
		"status":          status,
		"delete_data":     deleteData,
		"notify":          notify,
		"open_case":       openCase,
		"resolve_case":    resolveCase,
		"case_state":      caseState,
		"proof_checklist": proofChecklist,
		"answer_case":     answerCase,
		"correct_answer":  correctAnswer,
		"answer_alert":    answerAlert,
		"send_info":       sendInfo,
		"help":            help,
		"match_merchant":  matchMerchant,
		"link_merchant":   linkMerchant,
		"contact":         contact,
		"record_consent":  recordConsent,
		"check_consent":   checkConsent,
	}
}

// setLang switches to with["lang"] and says so in the new language.
func setLang(t *Turn, with map[string]string) error {
	l := NormalizeLang(with["lang"])
	if l == "" {
		return fmt.Errorf("set_lang: unsupported language %q", with["lang"])
	}
	t.Conv.Lang = l
	t.Conv.LangChosen = true
	t.Say(MsgLangSwitched, nil)
	return nil
}

// switchLang toggles between the supported languages.
func switchLang(t *Turn, _ map[string]string) error {
	next := Languages[0]
	for i, l := range Languages {
		if l == t.Conv.Lang {
			next = Languages[(i+1)%len(Languages)]
		}
	}
	return setLang(t, map[string]string{"lang": next})
}

// handover hands the conversation to a person: the bot stops answering
// questions until an operator releases it or the user starts over.
func handover(t *Turn, with map[string]string) error {
	t.Conv.Human = true
	t.Effect(EffectHandover, map[string]string{"flow": t.Conv.Flow, "step": t.Conv.Step, "reason": with["reason"]}, t.now)
	msg := with["say"]
	if msg == "" {
		msg = MsgHandover
	}
	t.Say(msg, nil)
	return nil
}

// release gives the conversation back to the bot.
func release(t *Turn, _ map[string]string) error {
	t.Conv.Human = false
	t.Note("released to the bot")
	// Alerts that came while a person had a merchant's chat show now.
	if t.presentWaitingAlert() {
		t.moved = true
	}
	return nil
}

// clearSlots forgets the slots listed in with["slots"] (comma-separated),
// or every slot.
func clearSlots(t *Turn, with map[string]string) error {
	if with["slots"] == "" {
		t.Conv.Slots = nil
		return nil
	}
	for _, s := range strings.Split(with["slots"], ",") {
		delete(t.Conv.Slots, strings.TrimSpace(s))
	}
	return nil
}

// setSlot sets with["slot"] to with["value"].
func setSlot(t *Turn, with map[string]string) error {
	if with["slot"] == "" {
		return fmt.Errorf("set: no slot named")
	}
	t.setSlot(with["slot"], with["value"])
	return nil
}

// status tells the user where things stand: each of their cases,
// newest first, in words (see caseLine); with no case, or while a person
// has the conversation, where the enquiry is.
func status(t *Turn, _ map[string]string) error {
	if t.Conv.Merchant != "" && !t.Conv.Human {
		return merchantStatus(t)
	}
	state := "bot"
	switch {
	case t.Conv.Human:
		state = "human"
	case t.Conv.Ended || t.Conv.Step == "":
		state = "idle"
	}
	if state == "human" || len(t.Conv.Cases) == 0 {
		t.Say(MsgStatus, map[string]any{"Answers": len(t.Conv.Slots), "State": state})
	}
	if len(t.Conv.Cases) == 0 {
		t.Say(MsgCaseNone, nil)
		return nil
	}
	for i := len(t.Conv.Cases) - 1; i >= 0; i-- {
		t.caseLine(&t.Conv.Cases[i])
	}
	return nil
}

// deleteData removes the conversation and its transcript with this turn's
// commit; the delivery record of this turn is all that stays. Its cases
// keep an anonymous record in the case index; proofs are deleted and
// timers cancelled through the outbox, which the deletion keeps.
func deleteData(t *Turn, with map[string]string) error {
	old := t.Conv
	t.Delete()
	// The deleting turn's effects keep the life and turn of the
	// conversation they clean up after, so their IDs stay unique.
	t.Conv = Conversation{Lang: old.Lang, Epoch: old.Epoch, Turns: old.Turns}
	t.log = nil
	t.effects = nil
	now := t.now.Unix()
	var proofs []Proof
	proofs = append(proofs, old.Proofs...)
	for _, c := range old.Cases {
		proofs = append(proofs, c.Proofs...)
		a := c.Anonymized(t.e.cfg.Cases.Personal, now)
		t.syncCase(&a)
	}
	for _, p := range proofs {
		if p.StoreRef != "" {
			t.Effect(EffectProofDelete, map[string]string{"ref": p.StoreRef}, time.Time{})
		}
	}
	for _, id := range old.Timers {
		t.Effect(EffectTimerCancel, map[string]string{"id": id}, time.Time{})
	}
	// Operators were told of a handover with the conversation's key.
	t.Effect(EffectOpsForget, nil, time.Time{})
	msg := with["say"]
	if msg == "" {
		msg = MsgDeleted
	}
	t.Say(msg, nil)
	return nil
}

// notify records an effect named by with["effect"] carrying the answers
// collected so far, for the workers that act outside the conversation.
func notify(t *Turn, with map[string]string) error {
	if with["effect"] == "" {
		return fmt.Errorf("notify: no effect named")
	}
	data := make(map[string]string, len(t.Conv.Slots))
	for k, v := range t.Conv.Slots {
		data[k] = v
	}
	t.Effect(with["effect"], data, time.Time{})
	return nil
}
