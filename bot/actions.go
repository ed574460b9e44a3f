package bot

import (
	"fmt"
	"strings"
	"time"
)

func builtinActions() map[string]Action {
	return map[string]Action{
		"set_lang":    setLang,
		"switch_lang": switchLang,
		"handover":    handover,
		"release":     release,
		"clear":       clearSlots,
		"set":         setSlot,
		"status":      status,
		"delete_data": deleteData,
		"notify":      notify,
	}
}

// setLang switches to with["lang"] and says so in the new language.
func setLang(t *Turn, with map[string]string) error {
	l := NormalizeLang(with["lang"])
	if l == "" {
		return fmt.Errorf("set_lang: unsupported language %q", with["lang"])
	}
	t.Conv.Lang = l
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
	t.Effect("handover", map[string]string{"flow": t.Conv.Flow, "step": t.Conv.Step, "reason": with["reason"]}, t.now)
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

// status tells the user where their report stands.
func status(t *Turn, _ map[string]string) error {
	state := "bot"
	switch {
	case t.Conv.Human:
		state = "human"
	case t.Conv.Ended || t.Conv.Step == "":
		state = "idle"
	}
	t.Say(MsgStatus, map[string]any{"Answers": len(t.Conv.Slots), "State": state})
	return nil
}

// deleteData removes the conversation and its transcript with this turn's
// commit; the delivery record of this turn is all that stays.
func deleteData(t *Turn, with map[string]string) error {
	t.Delete()
	t.Conv = Conversation{Lang: t.Conv.Lang}
	msg := with["say"]
	if msg == "" {
		msg = MsgDeleted
	}
	t.Say(msg, nil)
	t.log = nil
	t.effects = nil
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
